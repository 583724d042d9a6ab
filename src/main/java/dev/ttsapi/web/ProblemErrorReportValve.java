package dev.ttsapi.web;

import java.io.IOException;
import java.io.Writer;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tomcat's own error answers as problem details instead of its HTML page: what the container
 * refuses before any servlet runs (a request line it cannot parse, an encoded {@code /} or a bad
 * {@code %} escape in the path, headers over their limit). Nothing of the request or the server is
 * echoed back.
 */
class ProblemErrorReportValve extends ErrorReportValve {

  private final JsonMapper json;

  ProblemErrorReportValve(JsonMapper json) {
    this.json = json;
  }

  @Override
  protected void report(Request request, Response response, Throwable throwable) {
    int status = response.getStatus();
    // As Tomcat's own valve: only errors, only once, never over something already written.
    if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
      return;
    }
    HttpStatus known = HttpStatus.resolve(status);
    ProblemDetail problem =
        status == 400
            ? ProblemType.MALFORMED_REQUEST.detail(
                "The server could not read this request (its request line, path or headers)")
            : ProblemType.forStatus(status)
                .detail(
                    known != null ? known : HttpStatus.INTERNAL_SERVER_ERROR,
                    "The request could not be served");
    try {
      response.setContentType("application/problem+json");
      response.setCharacterEncoding("UTF-8");
      Writer writer = response.getReporter();
      if (writer != null) {
        writer.write(json.writeValueAsString(problem));
        response.finishResponse();
      }
    } catch (IOException | IllegalStateException e) {
      // the client is gone, or the response was committed meanwhile: nothing more to tell
    }
  }
}
