package dev.ttsapi.batch;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.batch.BatchAudio.Joined;
import dev.ttsapi.batch.BatchAudio.Part;
import dev.ttsapi.batch.BatchDtos.BatchBody;
import dev.ttsapi.batch.BatchDtos.BatchDocument;
import dev.ttsapi.batch.BatchService.Contents;
import dev.ttsapi.runtime.ConditionalOnRole;
import dev.ttsapi.runtime.Role;
import dev.ttsapi.web.BulkBody;
import dev.ttsapi.web.InvalidInputException;
import dev.ttsapi.webhook.DeliveryLog;
import dev.ttsapi.webhook.DeliveryLog.Deliveries;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /tts/batches}: submit, follow, cancel and download a batch. */
@RestController
@RequestMapping("/tts/batches")
@ConditionalOnRole(Role.API)
class BatchController {

  /** The call itself took one submission from the budget (RateLimitInterceptor). */
  private static final int CALLS_CHARGED = 1;

  private final BatchService batches;
  private final BatchAudio audio;
  private final DeliveryLog deliveries;

  BatchController(BatchService batches, BatchAudio audio, DeliveryLog deliveries) {
    this.batches = batches;
    this.audio = audio;
    this.deliveries = deliveries;
  }

  /** Accepts up to {@code tts.batch.max-items} items: 201 with the batch, its items in order. */
  @BulkBody
  @PostMapping(
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<BatchDocument> submit(
      Caller caller,
      @RequestBody BatchBody body,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization) {
    BatchDocument batch =
        batches.submit(caller.userId(), bearerKey(authorization), body, CALLS_CHARGED);
    return ResponseEntity.created(URI.create(batch.links().self())).body(batch);
  }

  @GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
  BatchDocument get(Caller caller, @PathVariable String id) {
    return batches.document(caller.userId(), caller.admin(), id);
  }

  @DeleteMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
  BatchDocument cancel(Caller caller, @PathVariable String id) {
    return batches.cancel(caller.userId(), caller.admin(), id);
  }

  @GetMapping(path = "/{id}/deliveries", produces = MediaType.APPLICATION_JSON_VALUE)
  Deliveries deliveries(Caller caller, @PathVariable String id) {
    return deliveries.of(batches.owned(caller.userId(), caller.admin(), id).id());
  }

  /**
   * The batch's audio once it has ended: {@code zip} (default), {@code concat} (one file, MP3 with
   * ID3 chapters), or {@code cue} (a cue sheet of that file).
   */
  @GetMapping("/{id}/audio")
  void audio(
      Caller caller,
      @PathVariable String id,
      @RequestParam(defaultValue = "zip") String format,
      HttpServletResponse response)
      throws IOException {
    if (!List.of("zip", "concat", "cue").contains(format)) {
      throw new InvalidInputException("format", "must be one of zip, concat, cue");
    }
    Contents contents = batches.contents(caller.userId(), caller.admin(), id);
    List<Part> parts = audio.completed(contents);
    String name = "batch-" + contents.batch().id();
    if (format.equals("zip")) {
      start(response, "application/zip", name + ".zip");
      audio.zip(parts, response.getOutputStream());
      return;
    }
    Joined joined = audio.join(parts, contents);
    String fileName = name + "." + joined.format().extension();
    if (format.equals("cue")) {
      byte[] cue = audio.cueSheet(joined, name, fileName).getBytes(StandardCharsets.UTF_8);
      start(response, "application/x-cue;charset=UTF-8", name + ".cue");
      response.setContentLength(cue.length);
      response.getOutputStream().write(cue);
      return;
    }
    byte[] head = audio.head(joined, name);
    start(response, joined.format().contentType(), fileName);
    response.setContentLengthLong(head.length + joined.audioBytes());
    audio.writeJoined(joined, head, response.getOutputStream());
  }

  private static void start(HttpServletResponse response, String contentType, String fileName) {
    response.setStatus(200);
    response.setContentType(contentType);
    response.setHeader(
        HttpHeaders.CONTENT_DISPOSITION,
        ContentDisposition.attachment().filename(fileName).build().toString());
  }

  /** The key of the call (ApiKeyInterceptor has checked it), for a per-key submit limit. */
  private static String bearerKey(String authorization) {
    int space = authorization.indexOf(' ');
    return space < 0 ? authorization.trim() : authorization.substring(space + 1).trim();
  }
}
