package io.bucketload.aws.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class S3EventsTest {
  @Test
  void readsEventBridgeObjectCreatedEvents() {
    String event =
        """
        {"version":"0","detail-type":"Object Created","source":"aws.s3",
         "detail":{"bucket":{"name":"landing"},"object":{"key":"in/a.csv","size":5}}}
        """;
    assertThat(S3Events.parse(event)).containsExactly(new ObjectEvent("landing", "in/a.csv"));
  }

  @Test
  void unwrapsSnsNotificationsAndSkipsDeletions() {
    String inner =
        "{\\\"Records\\\":[{\\\"eventName\\\":\\\"ObjectCreated:Put\\\",\\\"s3\\\":{\\\"bucket\\\":"
            + "{\\\"name\\\":\\\"b\\\"},\\\"object\\\":{\\\"key\\\":\\\"a%C3%A9.csv\\\"}}},"
            + "{\\\"eventName\\\":\\\"ObjectRemoved:Delete\\\",\\\"s3\\\":{\\\"bucket\\\":"
            + "{\\\"name\\\":\\\"b\\\"},\\\"object\\\":{\\\"key\\\":\\\"gone.csv\\\"}}}]}";
    String sns = "{\"Type\":\"Notification\",\"Message\":\"" + inner + "\"}";
    assertThat(S3Events.parse(sns)).containsExactly(new ObjectEvent("b", "aé.csv"));
  }

  @Test
  void aMessageThatIsNotJsonIsRefused() {
    assertThatThrownBy(() -> S3Events.parse("hello")).hasMessageContaining("not a JSON event");
  }

  @Test
  void jsonOfNoEventsShapeIsRefusedSoThatItIsLoggedAndATestEventIsNot() {
    assertThat(S3Events.parse("{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\"}")).isEmpty();
    for (String stray :
        java.util.List.of("{\"foo\":1}", "[]", "{\"Records\":\"x\"}", "null", "{\"Records\":[]}")) {
      assertThatThrownBy(() -> S3Events.parse(stray))
          .as(stray)
          .hasMessage("JSON that is no S3, SNS or EventBridge event: " + stray);
    }
  }

  @Test
  void anEventOfAnObjectCreatedWithoutItsKeyIsRefusedSoThatItIsLogged() {
    assertThatThrownBy(
            () ->
                S3Events.parse(
                    "{\"Records\":[{\"eventSource\":\"aws:s3\",\"eventName\":"
                        + "\"ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\"land\"}}}]}"))
        .hasMessageStartingWith("an event of an object created without its object key: {");
  }
}
