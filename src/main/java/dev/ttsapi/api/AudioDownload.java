package dev.ttsapi.api;

import dev.ttsapi.audio.StoredAudio;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.core.io.support.ResourceRegion;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpRange;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * The answer to a download of stored audio, following RFC 9110: 304 when {@code If-None-Match}
 * names its ETag (the content key); 206 with the satisfiable parts of a {@code bytes} range (one
 * part, or {@code multipart/byteranges}); 416 with no body when no part can be satisfied or the
 * range is malformed; the whole file (200) without a range, for a range of another unit, or when
 * {@code If-Range} names other content. Spring's own Range handling would answer a 416 with the
 * whole file as its body and cache it for a year, and refuse a range set with one bad part.
 */
final class AudioDownload {

  private static final String BYTES_UNIT = "bytes=";

  private AudioDownload() {}

  static ResponseEntity<?> answer(
      HttpHeaders request, String contentKey, String fileName, StoredAudio audio) {
    String etag = "\"" + contentKey + "\"";
    HttpHeaders headers = new HttpHeaders();
    headers.setETag(etag);
    headers.set(HttpHeaders.ACCEPT_RANGES, "bytes");
    if (request.getIfNoneMatch().stream().anyMatch(tag -> tag.equals(etag) || tag.equals("*"))) {
      headers.setCacheControl(cacheable());
      return new ResponseEntity<>(headers, HttpStatus.NOT_MODIFIED);
    }
    MediaType type = MediaType.parseMediaType(audio.format().contentType());
    headers.setContentDisposition(ContentDisposition.inline().filename(fileName).build());
    String range = request.getFirst(HttpHeaders.RANGE);
    String ifRange = request.getFirst(HttpHeaders.IF_RANGE);
    boolean useRange =
        range != null
            && range.regionMatches(true, 0, BYTES_UNIT, 0, BYTES_UNIT.length())
            && (ifRange == null || ifRange.equals(etag));
    if (!useRange) {
      headers.setCacheControl(cacheable());
      headers.setContentType(type);
      return whole(headers, audio, range != null);
    }
    List<ResourceRegion> parts = satisfiable(range, audio);
    if (parts.isEmpty()) {
      HttpHeaders refused = new HttpHeaders();
      refused.set(HttpHeaders.CONTENT_RANGE, "bytes */" + audio.size());
      refused.setCacheControl(CacheControl.noStore());
      return new ResponseEntity<>(refused, HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE);
    }
    long asked = parts.stream().mapToLong(ResourceRegion::getCount).sum();
    if (asked > audio.size()) {
      // Overlapping parts adding up to more than the file: send the file once instead.
      headers.setCacheControl(cacheable());
      headers.setContentType(type);
      return whole(headers, audio, true);
    }
    headers.setCacheControl(cacheable());
    if (parts.size() == 1) {
      headers.setContentType(type);
      return new ResponseEntity<>(parts.getFirst(), headers, HttpStatus.PARTIAL_CONTENT);
    }
    // The converter writes multipart/byteranges with its boundary and each part's type.
    return new ResponseEntity<>(parts, headers, HttpStatus.PARTIAL_CONTENT);
  }

  /** The parts of a {@code bytes} range the file can satisfy; none if it is malformed. */
  private static List<ResourceRegion> satisfiable(String range, StoredAudio audio) {
    List<HttpRange> ranges;
    try {
      ranges = HttpRange.parseRanges(range);
    } catch (IllegalArgumentException malformed) {
      return List.of();
    }
    long length = audio.size();
    List<ResourceRegion> parts = new ArrayList<>();
    for (HttpRange r : ranges) {
      try {
        long start = r.getRangeStart(length);
        long end = r.getRangeEnd(length);
        if (start <= end && start < length) {
          parts.add(new ResourceRegion(audio.resource(), start, end - start + 1));
        }
      } catch (IllegalArgumentException unsatisfiable) {
        // this part starts past the end; the others may still be served
      }
    }
    return parts;
  }

  /**
   * The whole file. With a Range header that is to be ignored, the body must not be a Resource:
   * Spring would apply the range to it.
   */
  private static ResponseEntity<?> whole(
      HttpHeaders headers, StoredAudio audio, boolean rangeIgnored) {
    headers.setContentLength(audio.size());
    if (!rangeIgnored) {
      return new ResponseEntity<>(audio.resource(), headers, HttpStatus.OK);
    }
    StreamingResponseBody body =
        out -> {
          try (InputStream in = audio.open()) {
            in.transferTo(out);
          }
        };
    return new ResponseEntity<>(body, headers, HttpStatus.OK);
  }

  private static CacheControl cacheable() {
    return CacheControl.maxAge(Duration.ofDays(365)).cachePrivate().immutable();
  }
}
