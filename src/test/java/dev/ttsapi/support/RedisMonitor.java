package dev.ttsapi.support;

import io.lettuce.core.RedisURI;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Redis's MONITOR on a socket of its own: every command the server runs, one line each, like {@code
 * +1700000000.1 [6 127.0.0.1:5000] "EVALSHA" "ab12…" "1" "tts_status:…"}. What a test learns from
 * it is what travelled over the wire, which no client-side counter can show.
 */
public final class RedisMonitor implements AutoCloseable {
  private final Socket socket;
  private final List<String> lines = new CopyOnWriteArrayList<>();

  public RedisMonitor(RedisURI uri) throws IOException {
    socket = new Socket(uri.getHost(), uri.getPort());
    OutputStream out = socket.getOutputStream();
    out.write("MONITOR\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    String ok = in.readLine();
    if (!"+OK".equals(ok)) {
      throw new IOException("MONITOR answered " + ok);
    }
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  lines.add(line);
                }
              } catch (IOException closed) {
                // the test is over
              }
            });
  }

  /** Commands clients sent to {@code db}, not the ones a script ran inside Redis. */
  public List<String> fromClients(int db) {
    return lines.stream()
        .filter(l -> l.contains("[" + db + " ") && !l.contains("[" + db + " lua]"))
        .toList();
  }

  /** The command's name of a MONITOR line, upper case ("EVALSHA"). */
  public static String command(String line) {
    int start = line.indexOf("] \"") + 3;
    return line.substring(start, line.indexOf('"', start)).toUpperCase(java.util.Locale.ROOT);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
