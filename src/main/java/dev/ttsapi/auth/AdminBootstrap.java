package dev.ttsapi.auth;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/** Creates the first admin and prints its key once, when the database has no user yet. */
@Component
class AdminBootstrap implements ApplicationRunner {

  private final UserService users;

  AdminBootstrap(UserService users) {
    this.users = users;
  }

  @Override
  public void run(ApplicationArguments args) {
    users.bootstrapAdmin();
  }
}
