package dev.ttsapi.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisURI;
import org.junit.jupiter.api.Test;

/** Every form of REDIS_URL the README lists, and a clear refusal of what is none of them. */
class RedisUrlTest {

  @Test
  void one_server_with_password_and_database() {
    RedisUrl url = RedisUrl.parse("redis://:s3cret@cache.internal:6380/4");

    assertThat(url.kind()).isEqualTo(RedisUrl.Kind.STANDALONE);
    RedisURI uri = url.first();
    assertThat(uri.getHost()).isEqualTo("cache.internal");
    assertThat(uri.getPort()).isEqualTo(6380);
    assertThat(uri.getDatabase()).isEqualTo(4);
    assertThat(new String(uri.getCredentialsProvider().resolveCredentials().block().getPassword()))
        .isEqualTo("s3cret");
    assertThat(uri.isSsl()).isFalse();
    assertThat(url.text()).doesNotContain("s3cret").isEqualTo("redis://***@cache.internal:6380/4");
  }

  @Test
  void rediss_is_tls_verifying_the_certificate_unless_told_not_to() {
    RedisUrl verified = RedisUrl.parse("rediss://user:pw@cache:6379");
    RedisUrl unverified = RedisUrl.parse("rediss://cache:6379?verifyPeer=false");

    assertThat(verified.first().isSsl()).isTrue();
    assertThat(verified.first().isVerifyPeer()).isTrue();
    assertThat(verified.first().getCredentialsProvider().resolveCredentials().block().getUsername())
        .isEqualTo("user");
    assertThat(unverified.first().isSsl()).isTrue();
    assertThat(unverified.first().isVerifyPeer()).isFalse();
  }

  @Test
  void a_cluster_names_any_of_its_nodes() {
    RedisUrl url = RedisUrl.parse("redis-cluster://10.0.0.1:7000,10.0.0.2:7001,10.0.0.3");

    assertThat(url.kind()).isEqualTo(RedisUrl.Kind.CLUSTER);
    assertThat(url.nodes())
        .extracting(u -> u.getHost() + ":" + u.getPort())
        .containsExactly("10.0.0.1:7000", "10.0.0.2:7001", "10.0.0.3:6379");
    assertThat(RedisUrl.parse("rediss-cluster://:pw@a:1,b:2").nodes())
        .allSatisfy(u -> assertThat(u.isSsl()).isTrue());
  }

  @Test
  void sentinels_with_the_masters_name() {
    RedisUrl url = RedisUrl.parse("redis-sentinel://:pw@s1:26379,s2:26380,s3/2?master=tts");

    assertThat(url.kind()).isEqualTo(RedisUrl.Kind.SENTINEL);
    RedisURI uri = url.first();
    assertThat(uri.getSentinelMasterId()).isEqualTo("tts");
    assertThat(uri.getSentinels())
        .extracting(u -> u.getHost() + ":" + u.getPort())
        .containsExactly("s1:26379", "s2:26380", "s3:26379");
    assertThat(uri.getDatabase()).isEqualTo(2);
  }

  @Test
  void sentinels_in_lettuces_form_as_the_compose_file_writes_them() {
    RedisUrl url = RedisUrl.parse("redis-sentinel://rs-1:26379,rs-2:26379,rs-3:26379/0#tts");

    assertThat(url.first().getSentinelMasterId()).isEqualTo("tts");
    assertThat(url.first().getSentinels()).hasSize(3);
  }

  @Test
  void what_is_none_of_the_forms_is_refused_naming_them() {
    assertThatThrownBy(() -> RedisUrl.parse("redis-sentinel://s1:26379"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("?master=");
    assertThatThrownBy(() -> RedisUrl.parse("redis-cluster://a:1,b:2/3"))
        .hasMessageContaining("only database 0");
    assertThatThrownBy(() -> RedisUrl.parse("redis://a:1,b:2"))
        .hasMessageContaining("redis-cluster://");
    assertThatThrownBy(() -> RedisUrl.parse("memcached://:pw@a:1"))
        .hasMessageContaining("Accepted forms: redis://")
        .hasMessageNotContaining("pw");
    assertThatThrownBy(() -> RedisUrl.parse("redis://host:port")).hasMessageContaining("port");
  }
}
