package dev.ttsapi.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.ttsapi.cache.CacheProperties;
import dev.ttsapi.cache.MultiLevelCache;
import dev.ttsapi.cache.MultiLevelCaches;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Users and API keys. A key is 32 random bytes, shown once when it is made; only its SHA-256 hash
 * is stored, so a database leak reveals no usable key.
 */
@Service
public class UserService {

  private static final Logger log = LoggerFactory.getLogger(UserService.class);
  private static final String KEY_PREFIX = "tts_";

  private final UserRepository users;
  private final TransactionTemplate transactions;
  private final SecureRandom random = new SecureRandom();
  private final MultiLevelCache<Caller> callersByKeyHash;

  /**
   * Hashes of keys that matched nothing, remembered on this node only and briefly: a client that
   * keeps sending a wrong key costs one query, not one per call. Kept out of Redis so that guesses
   * fill no shared memory. A key issued later cannot be in it: nobody can have sent a 256-bit
   * random key before it was made.
   */
  private final Cache<String, Boolean> unknownKeyHashes;

  static final String CALLER_CACHE = "callers-by-key";

  UserService(
      UserRepository users,
      TransactionTemplate transactions,
      MultiLevelCaches caches,
      CacheProperties cacheProperties) {
    this.users = users;
    this.transactions = transactions;
    this.unknownKeyHashes =
        Caffeine.newBuilder()
            .maximumSize(cacheProperties.localMaxEntries())
            .expireAfterWrite(cacheProperties.unknownKeyTtl())
            .build();
    this.callersByKeyHash =
        caches.create(
            CALLER_CACHE,
            Caller.class,
            MultiLevelCaches.Absent.NOT_REMEMBERED,
            keyHash -> users.findByKeyHash(HexFormat.of().parseHex(keyHash)));
  }

  /** A new key in clear, returned once. */
  public record IssuedKey(UUID keyId, UUID userId, String key) {}

  /**
   * The caller a key belongs to, through the cache of known keys (this node's memory, then Redis,
   * then PostgreSQL: the request path needs no query for a key in use); revoking a key evicts it on
   * every node. A key that matched nothing is remembered briefly on this node, so repeating it
   * costs no query.
   */
  public Optional<Caller> authenticate(String key) {
    if (key == null || key.isBlank()) {
      return Optional.empty();
    }
    String keyHash = HexFormat.of().formatHex(hash(key.trim()));
    if (unknownKeyHashes.getIfPresent(keyHash) != null) {
      return Optional.empty();
    }
    Optional<Caller> caller = callersByKeyHash.get(keyHash);
    if (caller.isEmpty()) {
      unknownKeyHashes.put(keyHash, Boolean.TRUE);
    }
    return caller;
  }

  /** Revokes a key: it stops working on every node within moments. */
  public void revokeKey(UUID keyId) {
    byte[] keyHash =
        users.revokeKey(keyId).orElseThrow(() -> new KeyNotFoundException(keyId.toString()));
    callersByKeyHash.invalidate(HexFormat.of().formatHex(keyHash));
  }

  public Caller createUser(String name, Caller.Role role) {
    if (users.nameTaken(name)) {
      throw new UserNameTakenException(name);
    }
    UUID id = UUID.randomUUID();
    try {
      users.insertUser(id, name, role);
    } catch (org.springframework.dao.DuplicateKeyException e) {
      throw new UserNameTakenException(name);
    }
    return new Caller(id, name, role);
  }

  public IssuedKey issueKey(UUID userId) {
    users.findUser(userId).orElseThrow(() -> new UserNotFoundException(userId.toString()));
    byte[] secret = new byte[32];
    random.nextBytes(secret);
    String key = KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    UUID keyId = UUID.randomUUID();
    users.insertKey(keyId, userId, hash(key), key.substring(0, KEY_PREFIX.length() + 6));
    return new IssuedKey(keyId, userId, key);
  }

  /** A user by id or by name; empty if neither matches. */
  public Optional<Caller> findUser(String idOrName) {
    try {
      return users.findUser(UUID.fromString(idOrName));
    } catch (IllegalArgumentException notAnId) {
      return users.findUserByName(idOrName);
    }
  }

  /**
   * On first start with an empty database: creates the admin user and key, and prints the key once.
   * Nodes starting together take a lock, so exactly one creates it.
   */
  public Optional<IssuedKey> bootstrapAdmin() {
    Optional<IssuedKey> issued =
        transactions.execute(
            tx -> {
              users.lockBootstrap();
              if (users.anyUser()) {
                return Optional.<IssuedKey>empty();
              }
              Caller admin = createUser("admin", Caller.Role.ADMIN);
              return Optional.of(issueKey(admin.userId()));
            });
    issued.ifPresent(key -> log.info("Admin API key: {}", key.key()));
    return issued;
  }

  static byte[] hash(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
