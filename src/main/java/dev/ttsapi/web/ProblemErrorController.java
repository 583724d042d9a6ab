package dev.ttsapi.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The error page the servlet container forwards to when something answered with {@code sendError}
 * outside Spring MVC's exception handling: a problem with this API's type for the status, like
 * every other error. Asked for directly ({@code GET /error}), there is no error to show: a 404.
 * Replaces Spring Boot's page, whose JSON is not problem details and which answers a direct call
 * with a 500.
 */
@RestController
@PublicEndpoint
class ProblemErrorController implements ErrorController {

  @RequestMapping(path = "${server.error.path:/error}")
  ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    HttpStatus status =
        code instanceof Integer c && HttpStatus.resolve(c) != null && c >= 400
            ? HttpStatus.valueOf(c)
            : HttpStatus.NOT_FOUND;
    ProblemDetail problem =
        ProblemType.forStatus(status.value())
            .detail(
                status,
                code == null ? "There is no error here" : "The request could not be served");
    return ResponseEntity.status(status)
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(problem);
  }
}
