package dev.ttsapi.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RolesTest {

  @Test
  void no_roles_means_all_three() {
    assertThat(Role.parse(null)).containsExactlyInAnyOrder(Role.API, Role.WORKER, Role.MAINTENANCE);
    assertThat(Role.parse(" ")).hasSize(3);
  }

  @Test
  void roles_are_read_from_a_comma_separated_list() {
    assertThat(Role.parse("api, Worker")).containsExactlyInAnyOrder(Role.API, Role.WORKER);
  }

  @Test
  void an_unknown_role_is_refused_with_the_valid_ones() {
    assertThatThrownBy(() -> Role.parse("api,scheduler"))
        .hasMessageContaining("scheduler")
        .hasMessageContaining("api,worker,maintenance");
  }
}
