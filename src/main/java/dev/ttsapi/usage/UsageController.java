package dev.ttsapi.usage;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.web.Admin;
import dev.ttsapi.web.AdminOnly;
import dev.ttsapi.web.Problem;
import dev.ttsapi.web.ProblemType;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Per-user usage, which metrics deliberately do not carry (a user label has no bound): {@code GET
 * /tts/usage?from=&to=} for the caller (default: the last 30 UTC days), {@code GET
 * /admin/usage?day=} for every user on one day (default: today, UTC).
 */
@RestController
class UsageController {

  private static final int MAX_DAYS = 366;

  record Day(
      String userId,
      String user,
      LocalDate day,
      int requests,
      long characters,
      double audioSeconds) {
    static Day of(UsageRepository.DailyUsage u) {
      return new Day(
          u.userId().toString(),
          u.userName(),
          u.day(),
          u.requests(),
          u.characters(),
          u.audioSeconds());
    }
  }

  record Totals(int requests, long characters, double audioSeconds) {
    static Totals of(List<UsageRepository.DailyUsage> days) {
      return new Totals(
          days.stream().mapToInt(UsageRepository.DailyUsage::requests).sum(),
          days.stream().mapToLong(UsageRepository.DailyUsage::characters).sum(),
          days.stream().mapToDouble(UsageRepository.DailyUsage::audioSeconds).sum());
    }
  }

  record Usage(LocalDate from, LocalDate to, Totals total, List<Day> days) {}

  private final UsageRepository usage;
  private final Clock clock;

  UsageController(UsageRepository usage, Clock clock) {
    this.usage = usage;
    this.clock = clock;
  }

  @GetMapping(path = "/tts/usage", produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<?> mine(
      Caller caller,
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to) {
    LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
    LocalDate end;
    LocalDate start;
    try {
      end = to == null || to.isBlank() ? today : LocalDate.parse(to.trim());
      start = from == null || from.isBlank() ? end.minusDays(29) : LocalDate.parse(from.trim());
    } catch (DateTimeParseException e) {
      throw invalid("from and to are days like 2026-01-31");
    }
    if (start.isAfter(end) || ChronoUnit.DAYS.between(start, end) >= MAX_DAYS) {
      throw invalid("from must not be after to, and the range at most " + MAX_DAYS + " days");
    }
    List<UsageRepository.DailyUsage> days = usage.forUser(caller.userId(), start, end);
    return ResponseEntity.ok(
        new Usage(start, end, Totals.of(days), days.stream().map(Day::of).toList()));
  }

  @AdminOnly
  @GetMapping(path = "/admin/usage", produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<?> day(Admin admin, @RequestParam(required = false) String day) {
    LocalDate wanted;
    try {
      wanted =
          day == null || day.isBlank()
              ? LocalDate.now(clock.withZone(ZoneOffset.UTC))
              : LocalDate.parse(day.trim());
    } catch (DateTimeParseException e) {
      throw invalid("day is a day like 2026-01-31");
    }
    List<UsageRepository.DailyUsage> days = usage.forDay(wanted);
    return ResponseEntity.ok(
        new Usage(wanted, wanted, Totals.of(days), days.stream().map(Day::of).toList()));
  }

  private static Problem invalid(String detail) {
    return new Problem(ProblemType.INVALID_REQUEST, detail);
  }
}
