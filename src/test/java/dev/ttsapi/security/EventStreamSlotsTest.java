package dev.ttsapi.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.support.LowLimitsIntegrationTest;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A client that leaves an event stream gives its slot back within a couple of seconds (it used to
 * stay taken about 30 s, so a reloading page locked its user out), and the 429 says when to retry.
 */
// Two streams per user (LowLimitsIntegrationTest.EVENT_STREAMS_PER_USER).
class EventStreamSlotsTest extends LowLimitsIntegrationTest {

  @Test
  void the_slot_of_a_client_that_left_is_free_again_within_seconds() throws Exception {
    TestUser user = newUser("reloader", Caller.Role.USER);
    List<Socket> streams = new ArrayList<>();
    try {
      streams.add(open(user.key()));
      streams.add(open(user.key()));
      var refused = api.get("/tts/events", user.key());
      assertThat(refused.status()).isEqualTo(429);
      assertThat(refused.header("Retry-After")).isEqualTo("2");

      streams.removeFirst().close(); // the page reloads: its old connection just goes away

      Awaitility.await()
          .atMost(Duration.ofSeconds(4))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> tryOpen(user.key(), streams));
    } finally {
      for (Socket s : streams) {
        s.close();
      }
    }
  }

  private boolean tryOpen(String key, List<Socket> streams) throws IOException {
    Socket socket = connect(key);
    if (statusLine(socket).contains(" 200")) {
      streams.add(socket);
      return true;
    }
    socket.close();
    return false;
  }

  private Socket open(String key) throws IOException {
    Socket socket = connect(key);
    assertThat(statusLine(socket)).contains(" 200");
    return socket;
  }

  private Socket connect(String key) throws IOException {
    Socket socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(10_000);
    socket
        .getOutputStream()
        .write(
            ("GET /tts/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n"
                    + "Authorization: Bearer "
                    + key
                    + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    return socket;
  }

  private static String statusLine(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
      line.append((char) c);
    }
    return line.toString();
  }
}
