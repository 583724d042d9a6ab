package dev.ttsapi.lexicon;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.runtime.ConditionalOnRole;
import dev.ttsapi.runtime.Role;
import dev.ttsapi.web.BulkBody;
import dev.ttsapi.web.Problem;
import dev.ttsapi.web.ProblemType;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /tts/lexicons}: the caller's pronunciation lexicons, as W3C PLS ({@code
 * application/pls+xml}, or any XML type) or the JSON form ({@code application/json}).
 */
@RestController
@RequestMapping("/tts/lexicons")
@ConditionalOnRole(Role.API)
class LexiconController {

  private final Lexicons lexicons;

  LexiconController(Lexicons lexicons) {
    this.lexicons = lexicons;
  }

  /** 201 for a new lexicon, 200 for a new version of one; the body is its summary. */
  @BulkBody
  @PutMapping(path = "/{name}", produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<LexiconSummary> put(
      Caller caller,
      @PathVariable String name,
      @RequestHeader(name = HttpHeaders.CONTENT_TYPE, required = false) String contentType,
      @RequestBody(required = false) byte[] body) {
    LexiconFormat format =
        LexiconFormat.ofContentType(contentType)
            .orElseThrow(
                () ->
                    new Problem(
                        ProblemType.UNSUPPORTED_MEDIA_TYPE,
                        "A lexicon is application/pls+xml (W3C PLS) or application/json"));
    LexiconSummary saved =
        lexicons.put(caller.userId(), name, format, body == null ? new byte[0] : body);
    return ResponseEntity.status(saved.version() == 1 ? HttpStatus.CREATED : HttpStatus.OK)
        .eTag(etag(saved.version()))
        .body(saved);
  }

  /** The lexicon as uploaded, in its own media type; the ETag is its version. */
  @GetMapping("/{name}")
  ResponseEntity<String> get(Caller caller, @PathVariable String name) {
    Lexicons.Upload upload = lexicons.get(caller.userId(), name);
    return ResponseEntity.ok()
        .contentType(MediaType.parseMediaType(upload.format().mediaType() + ";charset=UTF-8"))
        .eTag(etag(upload.version()))
        .body(upload.text());
  }

  @DeleteMapping("/{name}")
  ResponseEntity<Void> delete(Caller caller, @PathVariable String name) {
    lexicons.delete(caller.userId(), name);
    return ResponseEntity.noContent().build();
  }

  record LexiconList(List<LexiconSummary> lexicons) {}

  @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
  LexiconList list(Caller caller) {
    return new LexiconList(lexicons.list(caller.userId()));
  }

  private static String etag(int version) {
    return "\"v" + version + "\"";
  }
}
