package io.bucketload.core.schema;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;

/** The strict parsers for each {@link ColumnType}. */
public final class ValueParsers {
  private ValueParsers() {}

  /**
   * Returns the parser for a column.
   *
   * @throws IllegalArgumentException when the column's {@code format} is not a valid pattern
   */
  public static ValueParser forColumn(ColumnSpec column) {
    return switch (column.type()) {
      case STRING -> text -> text;
      case INT -> ValueParsers::parseInt;
      case LONG -> ValueParsers::parseLong;
      case DECIMAL -> decimal(column.precision(), column.scale());
      case DOUBLE -> ValueParsers::parseDouble;
      case BOOLEAN -> ValueParsers::parseBoolean;
      case DATE -> column.format().map(ValueParsers::date).orElse(ValueParsers::isoDate);
      case TIMESTAMP ->
          column.format().map(ValueParsers::timestamp).orElse(ValueParsers::isoTimestamp);
    };
  }

  /** {@link #kind}: a column with its own parser object ({@link #forColumn}). */
  public static final int GENERIC = 0;

  /** {@link #kind}: text, taken as it is. */
  public static final int TEXT = 1;

  private static final int INT = 2;
  private static final int LONG = 3;
  private static final int DOUBLE = 4;
  private static final int BOOLEAN = 5;
  private static final int ISO_DATE = 6;
  private static final int ISO_TIMESTAMP = 7;

  /**
   * The column's kind for {@link #parse(int, String)}: its type when the parser needs no setting
   * (no format, no precision), {@link #GENERIC} otherwise. Converting a row through one {@code
   * switch} instead of a call to each column's parser object spares an interface dispatch per
   * value, which the JIT cannot inline when a row has columns of many types.
   */
  public static int kind(ColumnSpec column) {
    return switch (column.type()) {
      case STRING -> TEXT;
      case INT -> INT;
      case LONG -> LONG;
      case DOUBLE -> DOUBLE;
      case BOOLEAN -> BOOLEAN;
      case DATE -> column.format().isPresent() ? GENERIC : ISO_DATE;
      case TIMESTAMP -> column.format().isPresent() ? GENERIC : ISO_TIMESTAMP;
      case DECIMAL -> GENERIC;
    };
  }

  /**
   * Parses {@code text} as a column of {@code kind} (from {@link #kind}, neither {@link #GENERIC}
   * nor {@link #TEXT}) would: the same value or rejection as its {@link #forColumn} parser.
   */
  public static Object parse(int kind, String text) throws ValueRejected {
    return switch (kind) {
      case INT -> parseInt(text);
      case LONG -> parseLong(text);
      case DOUBLE -> parseDouble(text);
      case BOOLEAN -> parseBoolean(text);
      case ISO_DATE -> isoDate(text);
      case ISO_TIMESTAMP -> isoTimestamp(text);
      default -> throw new IllegalArgumentException("no parser of kind " + kind);
    };
  }

  /**
   * A {@code java.time} formatter for a user's pattern, strict, with {@code y} read as the
   * proleptic year so that {@code dd-MM-yyyy} works under strict resolution.
   */
  public static DateTimeFormatter formatter(String pattern) {
    StringBuilder fixed = new StringBuilder(pattern.length());
    boolean quoted = false;
    for (char c : pattern.toCharArray()) {
      if (c == '\'') {
        quoted = !quoted;
      }
      fixed.append(!quoted && c == 'y' ? 'u' : c);
    }
    return DateTimeFormatter.ofPattern(fixed.toString(), Locale.ROOT)
        .withResolverStyle(ResolverStyle.STRICT);
  }

  private static Object parseInt(String text) throws ValueRejected {
    if (!isInteger(text)) {
      throw new ValueRejected("not an int");
    }
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new ValueRejected("out of range for int");
    }
  }

  private static Object parseLong(String text) throws ValueRejected {
    if (!isInteger(text)) {
      throw new ValueRejected("not a long");
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new ValueRejected("out of range for long");
    }
  }

  private static boolean isInteger(String text) {
    int length = text.length();
    int start = length > 0 && (text.charAt(0) == '-' || text.charAt(0) == '+') ? 1 : 0;
    if (start == length) {
      return false;
    }
    for (int i = start; i < length; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  private static ValueParser decimal(int precision, int scale) {
    String typeName = "decimal(" + precision + "," + scale + ")";
    return text -> {
      BigDecimal fast = smallDecimal(text, precision, scale);
      if (fast != null) {
        return fast;
      }
      if (!isPlainDecimal(text)) {
        throw new ValueRejected("not a decimal");
      }
      BigDecimal value = new BigDecimal(text);
      if (value.scale() > scale && value.stripTrailingZeros().scale() > scale) {
        throw new ValueRejected(
            "has " + value.scale() + " decimal places; " + typeName + " allows " + scale);
      }
      value = value.setScale(scale);
      if (value.precision() - value.scale() > precision - scale) {
        throw new ValueRejected("too many digits for " + typeName);
      }
      return value;
    };
  }

  /**
   * The common case, through {@link PlainBytes#smallDecimal} on a copy of the text's chars as
   * bytes. Null for anything else (the general path decides).
   */
  private static BigDecimal smallDecimal(String text, int precision, int scale) {
    if (text.length() > 18) {
      return null;
    }
    byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    return PlainBytes.smallDecimal(bytes, 0, bytes.length, precision, scale);
  }

  private static boolean isPlainDecimal(String text) {
    int length = text.length();
    int i = length > 0 && (text.charAt(0) == '-' || text.charAt(0) == '+') ? 1 : 0;
    int digits = 0;
    boolean point = false;
    for (; i < length; i++) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        digits++;
      } else if (c == '.' && !point) {
        point = true;
      } else {
        return false;
      }
    }
    return digits > 0;
  }

  private static Object parseDouble(String text) throws ValueRejected {
    if (!isPlainFloatingPoint(text)) {
      throw new ValueRejected("not a double");
    }
    double value = Double.parseDouble(text);
    if (Double.isInfinite(value) || (value == 0 && hasNonZeroMantissa(text))) {
      throw new ValueRejected("out of range for double");
    }
    return value;
  }

  private static boolean hasNonZeroMantissa(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == 'e' || c == 'E') {
        return false;
      }
      if (c >= '1' && c <= '9') {
        return true;
      }
    }
    return false;
  }

  private static boolean isPlainFloatingPoint(String text) {
    int length = text.length();
    int i = length > 0 && (text.charAt(0) == '-' || text.charAt(0) == '+') ? 1 : 0;
    int digits = 0;
    boolean point = false;
    for (; i < length; i++) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        digits++;
      } else if (c == '.' && !point) {
        point = true;
      } else if ((c == 'e' || c == 'E') && digits > 0) {
        int j = i + 1;
        if (j < length && (text.charAt(j) == '-' || text.charAt(j) == '+')) {
          j++;
        }
        if (j == length) {
          return false;
        }
        for (; j < length; j++) {
          if (text.charAt(j) < '0' || text.charAt(j) > '9') {
            return false;
          }
        }
        return true;
      } else {
        return false;
      }
    }
    return digits > 0;
  }

  private static Object parseBoolean(String text) throws ValueRejected {
    switch (text.toLowerCase(Locale.ROOT)) {
      case "true", "t", "yes", "y", "1":
        return Boolean.TRUE;
      case "false", "f", "no", "n", "0":
        return Boolean.FALSE;
      default:
        throw new ValueRejected("not a boolean");
    }
  }

  private static Object isoDate(String text) throws ValueRejected {
    try {
      LocalDate date = CanonicalTimestamp.parseDate(text);
      return date != null ? date : LocalDate.parse(text);
    } catch (DateTimeException e) {
      throw new ValueRejected("not a date (expected yyyy-MM-dd)");
    }
  }

  private static ValueParser date(String pattern) {
    DateTimeFormatter formatter = formatter(pattern);
    String reason = "not a date in format " + pattern;
    return text -> {
      TemporalAccessor parsed;
      try {
        parsed = formatter.parse(text);
      } catch (DateTimeParseException e) {
        throw new ValueRejected(reason);
      }
      java.time.LocalTime time = parsed.query(java.time.temporal.TemporalQueries.localTime());
      if (time != null && !time.equals(java.time.LocalTime.MIDNIGHT)) {
        // A pattern with hours reads them; a date cannot hold them, and dropping them would
        // store another value than the file's.
        throw new ValueRejected(
            "has a time of day (" + time + "), which a date cannot hold: use type timestamp");
      }
      try {
        return LocalDate.from(parsed);
      } catch (DateTimeException e) {
        throw new ValueRejected(reason);
      }
    };
  }

  /** Timestamps are stored with microsecond precision; finer values would be cut, so reject. */
  private static LocalDateTime microseconds(LocalDateTime value) throws ValueRejected {
    if (value.getNano() % 1_000 != 0) {
      throw new ValueRejected("more precise than microseconds, which is what timestamps hold");
    }
    return value;
  }

  private static Object isoTimestamp(String text) throws ValueRejected {
    LocalDateTime fast = CanonicalTimestamp.parse(text);
    if (fast != null) {
      return microseconds(fast);
    }
    // The date ends 6 characters after the year's dash: years of 5 digits or more, and years
    // before 1 AD, have a sign (+10000-01-02, -0044-03-15), as for dates.
    int dateEnd = dateEnd(text);
    String iso =
        dateEnd < text.length() && text.charAt(dateEnd) == ' '
            ? text.substring(0, dateEnd) + 'T' + text.substring(dateEnd + 1)
            : text;
    if (!exactIsoShape(iso, dateEnd)) {
      throw new ValueRejected("not a timestamp (expected yyyy-MM-dd HH:mm:ss[.SSS][offset])");
    }
    try {
      TemporalAccessor parsed = DateTimeFormatter.ISO_DATE_TIME.parse(iso);
      java.time.ZoneId region = parsed.query(java.time.temporal.TemporalQueries.zoneId());
      if (region != null) {
        // A [region] after the time: its offset at that time, which a given offset must match.
        LocalDateTime local = LocalDateTime.from(parsed);
        return microseconds(
            local
                .atOffset(offsetIn(region, local, parsed))
                .withOffsetSameInstant(ZoneOffset.UTC)
                .toLocalDateTime());
      }
      return microseconds(
          toUtcLocal(
              DateTimeFormatter.ISO_DATE_TIME.parseBest(
                  iso, OffsetDateTime::from, LocalDateTime::from)));
    } catch (DateTimeException e) {
      throw new ValueRejected("not a timestamp (expected yyyy-MM-dd HH:mm:ss[.SSS][offset])");
    }
  }

  /** Where an ISO date at the start of {@code text} ends: 6 characters after its year's dash. */
  private static int dateEnd(String text) {
    int start = !text.isEmpty() && (text.charAt(0) == '+' || text.charAt(0) == '-') ? 1 : 0;
    int dash = text.indexOf('-', start);
    return dash < 0 ? text.length() : dash + 6;
  }

  /**
   * What {@code java.time}'s ISO parser would take but the documented text does not: a lower-case
   * {@code t} or {@code z} (it ignores case), and a point with no fraction digits ({@code 05.}).
   */
  private static boolean exactIsoShape(String iso, int dateEnd) {
    if (iso.length() > dateEnd && iso.charAt(dateEnd) != 'T') {
      return false;
    }
    int zone = iso.indexOf('[');
    String instant = zone < 0 ? iso : iso.substring(0, zone);
    if (instant.endsWith("z")) {
      return false;
    }
    int point = instant.indexOf('.');
    return point < 0
        || (point + 1 < instant.length() && Character.isDigit(instant.charAt(point + 1)));
  }

  private static ValueParser timestamp(String pattern) {
    DateTimeFormatter formatter = formatter(pattern);
    String reason = "not a timestamp in format " + pattern;
    boolean zoneNames = hasUnquoted(pattern, 'z');
    return text -> {
      TemporalAccessor parsed;
      LocalDateTime local;
      try {
        parsed = formatter.parse(text);
        // A pattern without a time of day (yyyy-MM-dd) reads the start of the day.
        local =
            parsed.query(java.time.temporal.TemporalQueries.localTime()) == null
                ? java.time.LocalDate.from(parsed).atStartOfDay()
                : LocalDateTime.from(parsed);
      } catch (DateTimeException e) {
        throw new ValueRejected(reason);
      }
      java.time.ZoneId zone = parsed.query(java.time.temporal.TemporalQueries.zone());
      if (zone == null) {
        return microseconds(local);
      }
      ZoneOffset offset =
          zoneNames && !(zone instanceof ZoneOffset)
              ? offsetOfName(zone, local, text)
              : offsetIn(zone, local, parsed);
      return microseconds(
          local.atOffset(offset).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime());
    };
  }

  private static boolean hasUnquoted(String pattern, char letter) {
    boolean quoted = false;
    for (char c : pattern.toCharArray()) {
      if (c == '\'') {
        quoted = !quoted;
      } else if (!quoted && c == letter) {
        return true;
      }
    }
    return false;
  }

  /**
   * The offset a zone name ({@code zzz}) means: {@code PST} and {@code CET} are standard time,
   * {@code PDT} and {@code CEST} daylight saving time, whatever the date. {@code java.time} reads
   * both names of a pair as the same region, so the name is looked for in the text: the region's
   * standard name gives its standard offset, its daylight name that plus the region's saving. A
   * name that is neither ({@code BST}, which {@code java.time} reads as a region of another name)
   * is rejected rather than guessed.
   */
  private static ZoneOffset offsetOfName(java.time.ZoneId zone, LocalDateTime local, String text)
      throws ValueRejected {
    java.util.TimeZone names = java.util.TimeZone.getTimeZone(zone);
    String standard = names.getDisplayName(false, java.util.TimeZone.SHORT, Locale.ROOT);
    String daylight = names.getDisplayName(true, java.util.TimeZone.SHORT, Locale.ROOT);
    java.time.zone.ZoneRules rules = zone.getRules();
    ZoneOffset standardOffset = rules.getStandardOffset(local.toInstant(rules.getOffset(local)));
    if (!daylight.equals(standard) && containsWord(text, daylight)) {
      return ZoneOffset.ofTotalSeconds(
          standardOffset.getTotalSeconds() + names.getDSTSavings() / 1000);
    }
    if (containsWord(text, standard)) {
      return standardOffset;
    }
    throw new ValueRejected(
        "the zone name cannot be told apart: it reads as "
            + zone.getId()
            + ", whose names are "
            + standard
            + (daylight.equals(standard) ? "" : " and " + daylight)
            + "; write the offset (XXX) or the region (VV) instead");
  }

  private static boolean containsWord(String text, String word) {
    for (int at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
      int end = at + word.length();
      boolean before = at == 0 || !Character.isLetter(text.charAt(at - 1));
      boolean after = end == text.length() || !Character.isLetter(text.charAt(end));
      if (before && after) {
        return true;
      }
    }
    return false;
  }

  /**
   * The offset of a local time in the zone a value names ({@code CET}, {@code Europe/Paris}, or an
   * offset): a time a daylight saving change skips, or repeats without an offset to tell which, is
   * rejected rather than moved.
   */
  private static ZoneOffset offsetIn(
      java.time.ZoneId zone, LocalDateTime local, TemporalAccessor parsed) throws ValueRejected {
    if (zone instanceof ZoneOffset offset) {
      return offset;
    }
    java.util.List<ZoneOffset> valid = zone.getRules().getValidOffsets(local);
    if (valid.isEmpty()) {
      throw new ValueRejected(
          "not a time in zone " + zone.getId() + " (skipped by a daylight saving change)");
    }
    if (parsed.isSupported(java.time.temporal.ChronoField.OFFSET_SECONDS)) {
      ZoneOffset given =
          ZoneOffset.ofTotalSeconds(parsed.get(java.time.temporal.ChronoField.OFFSET_SECONDS));
      if (valid.contains(given)) {
        return given;
      }
      throw new ValueRejected(
          "the offset "
              + given.getId()
              + " is not zone "
              + zone.getId()
              + "'s at that time ("
              + valid.stream()
                  .map(ZoneOffset::getId)
                  .collect(java.util.stream.Collectors.joining(" or "))
              + ")");
    }
    if (valid.size() > 1) {
      throw new ValueRejected(
          "an ambiguous time in zone "
              + zone.getId()
              + " (repeated by a daylight saving change; add the offset to tell which)");
    }
    return valid.get(0);
  }

  private static LocalDateTime toUtcLocal(TemporalAccessor parsed) {
    if (parsed instanceof OffsetDateTime offset) {
      return offset.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
    }
    return (LocalDateTime) parsed;
  }
}
