package dev.ttsapi.runtime;

import java.util.Set;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** The roles this process runs ({@code --roles}), read once for every bean that asks. */
@Component
public class Roles {

  private final Set<Role> roles;

  Roles(Environment environment) {
    this.roles = Role.parse(environment.getProperty(Role.PROPERTY));
  }

  public boolean runs(Role role) {
    return roles.contains(role);
  }

  @Override
  public String toString() {
    return Role.names(roles);
  }
}
