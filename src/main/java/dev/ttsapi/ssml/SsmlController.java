package dev.ttsapi.ssml;

import dev.ttsapi.engine.Voice;
import dev.ttsapi.engine.VoiceDirectory;
import dev.ttsapi.runtime.ConditionalOnRole;
import dev.ttsapi.runtime.Role;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /tts/ssml}: the SSML each installed engine honours. */
@RestController
@ConditionalOnRole(Role.API)
class SsmlController {

  private final VoiceDirectory voices;

  SsmlController(VoiceDirectory voices) {
    this.voices = voices;
  }

  /**
   * @param engines per engine, the features it honours; anything else in a document is dropped (its
   *     text spoken) and said so in the request's answer
   */
  record SsmlSupport(
      Map<String, List<String>> engines,
      List<String> sayAsLanguages,
      int maxBreakMs,
      String namespace) {}

  @GetMapping(path = "/tts/ssml", produces = MediaType.APPLICATION_JSON_VALUE)
  SsmlSupport support() {
    List<String> engines =
        voices.current().voices().stream().map(Voice::engine).distinct().sorted().toList();
    return new SsmlSupport(
        Ssml.supportedByEngine(engines),
        List.of("en", "vi"),
        SsmlParser.MAX_BREAK_MS,
        SsmlParser.NAMESPACE);
  }
}
