package io.bucketload.core.source;

import io.bucketload.core.spec.Settings;
import io.bucketload.core.spec.SourceSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Opens the source of a file set whose inputs are URLs ({@code inputs[].url}; the pipeline reader
 * gives it the path {@link SourceSpec#URL_INPUTS} and the URLs as {@code url.INPUT} settings). What
 * bucketload writes back goes to {@code source.output}, by default {@code bucketload-out/<pipeline
 * file name>} beside the pipeline file.
 */
public final class UrlSetSourceFactory implements SourceFactory {
  @Override
  public String scheme() {
    return SourceSpec.schemeOf(SourceSpec.URL_INPUTS);
  }

  @Override
  public Source open(SourceSpec spec) {
    Settings settings = spec.settings();
    Set<String> urlKeys = new HashSet<>();
    for (String key : settings.keys()) {
      if (key.startsWith("url.")) {
        urlKeys.add(key);
      }
    }
    List<HttpSource> sources = new ArrayList<>();
    for (String key : urlKeys.stream().sorted().toList()) {
      sources.add(
          HttpSourceFactory.source(
              settings.get(key).orElseThrow(),
              "inputs[" + key.substring(4) + "].url",
              settings,
              urlKeys));
    }
    return new UrlSetSource(sources);
  }

  @Override
  public OutputStore outputs(String location, SourceSpec spec) {
    return new HttpSourceFactory().outputs(location, spec);
  }
}
