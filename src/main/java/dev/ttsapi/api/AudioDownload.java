package dev.ttsapi.api;

import dev.ttsapi.audio.StoredAudio;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpRange;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/**
 * The answer to a download of stored audio, following RFC 9110: 304 when {@code If-None-Match}
 * names its ETag (the content key); 206 with the satisfiable part of a {@code bytes} range (several
 * parts are coalesced into the one span that covers them); 416 with no body when nothing can be
 * satisfied or the range is malformed; the whole file (200) without a range, for a range of another
 * unit, or when {@code If-Range} names other content. Spring's own Range handling answered a 416
 * with the whole file as its body, cacheable for a year, and refused a set with one bad part.
 *
 * <p>The bytes are read from the store for just the span answered ({@link StoredAudio#open(long,
 * long)}: a file read from that position, a ranged GET of an object). When the store hands out
 * presigned URLs (downloads set to {@code redirect}), a GET is answered with a 307 to one instead,
 * and the object store answers the Range itself; the caller's key and ownership have been checked
 * before, so the URL goes only to whoever may read the audio.
 */
final class AudioDownload {

  private static final String BYTES_UNIT = "bytes=";

  private AudioDownload() {}

  /**
   * The answer for Spring to write (a 304 or a redirect), or null when it has been written to
   * {@code response} here: a body Spring writes is subjected to its own Range handling.
   */
  static ResponseEntity<?> answer(
      HttpServletRequest request,
      HttpServletResponse response,
      String contentKey,
      String fileName,
      StoredAudio audio)
      throws IOException {
    String etag = "\"" + contentKey + "\"";
    HttpHeaders headers = new HttpHeaders();
    headers.setETag(etag);
    headers.set(HttpHeaders.ACCEPT_RANGES, "bytes");
    headers.setCacheControl(CacheControl.maxAge(Duration.ofDays(365)).cachePrivate().immutable());
    List<String> ifNoneMatch = Collections.list(request.getHeaders(HttpHeaders.IF_NONE_MATCH));
    if (ifNoneMatch.stream()
        .flatMap(h -> List.of(h.split(",")).stream())
        .map(String::strip)
        .anyMatch(tag -> tag.equals(etag) || tag.equals("W/" + etag) || tag.equals("*"))) {
      return new ResponseEntity<>(headers, HttpStatus.NOT_MODIFIED);
    }
    boolean head = "HEAD".equals(request.getMethod());
    // A presigned URL is signed for GET only: HEAD is answered here, from the size alone.
    Optional<URI> direct = head ? Optional.empty() : audio.downloadUrl(fileName);
    if (direct.isPresent()) {
      headers.setLocation(direct.get());
      // the URL expires: neither it nor this answer may be reused later
      headers.setCacheControl(CacheControl.noStore());
      return new ResponseEntity<>(headers, HttpStatus.TEMPORARY_REDIRECT);
    }
    headers.set(HttpHeaders.CONTENT_TYPE, audio.format().contentType());
    headers.setContentDisposition(ContentDisposition.inline().filename(fileName).build());
    String range = request.getHeader(HttpHeaders.RANGE);
    String ifRange = request.getHeader(HttpHeaders.IF_RANGE);
    if (range == null) {
      write(response, HttpStatus.OK, headers, audio, 0, audio.size(), head);
      return null;
    }
    if (!range.regionMatches(true, 0, BYTES_UNIT, 0, BYTES_UNIT.length())
        || (ifRange != null && !ifRange.strip().equals(etag))) {
      write(response, HttpStatus.OK, headers, audio, 0, audio.size(), head);
      return null;
    }
    long[] span = satisfiable(range, audio.size());
    if (span == null) {
      response.setStatus(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE.value());
      response.setHeader(HttpHeaders.CONTENT_RANGE, "bytes */" + audio.size());
      response.setHeader(HttpHeaders.CACHE_CONTROL, CacheControl.noStore().getHeaderValue());
      response.setContentLength(0);
      return null;
    }
    long start = span[0];
    long length = span[1] - span[0] + 1;
    headers.set(HttpHeaders.CONTENT_RANGE, "bytes " + span[0] + "-" + span[1] + "/" + audio.size());
    write(response, HttpStatus.PARTIAL_CONTENT, headers, audio, start, length, head);
    return null;
  }

  /**
   * The first and last byte of the span covering every satisfiable part of a {@code bytes} range;
   * null when no part is satisfiable or the range is malformed.
   */
  private static long[] satisfiable(String range, long size) {
    List<HttpRange> ranges;
    try {
      ranges = HttpRange.parseRanges(range); // at most 100 parts
    } catch (IllegalArgumentException malformed) {
      return null;
    }
    long first = Long.MAX_VALUE;
    long last = -1;
    for (HttpRange r : ranges) {
      try {
        long start = r.getRangeStart(size);
        long end = r.getRangeEnd(size);
        if (start <= end && start < size) {
          first = Math.min(first, start);
          last = Math.max(last, end);
        }
      } catch (IllegalArgumentException unsatisfiable) {
        // this part lies past the end (or is backwards); the others may still be served
      }
    }
    return last < 0 ? null : new long[] {first, last};
  }

  private static void write(
      HttpServletResponse response,
      HttpStatus status,
      HttpHeaders headers,
      StoredAudio audio,
      long start,
      long length,
      boolean head)
      throws IOException {
    response.setStatus(status.value());
    headers.forEach((name, values) -> values.forEach(v -> response.addHeader(name, v)));
    response.setContentLengthLong(length);
    if (head) {
      return;
    }
    try (InputStream in = audio.open(start, length)) {
      OutputStream out = response.getOutputStream();
      byte[] buffer = new byte[64 * 1024];
      long left = length;
      while (left > 0) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (n < 0) {
          throw new IOException("the stored audio ended before its length");
        }
        out.write(buffer, 0, n);
        left -= n;
      }
    }
  }
}
