package dev.ttsapi.support;

import dev.ttsapi.engine.mary.MaryEngine;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/** Engines only tests have; they join the voice catalog like any engine bean. */
@TestConfiguration(proxyBeanMethods = false)
public class TestEngines {

  @Bean
  PoisonEngine poisonEngine() {
    return new PoisonEngine();
  }

  @Bean
  GateEngine gateEngine() {
    return new GateEngine();
  }

  @Bean
  MarkerEngine markerEngine() {
    return new MarkerEngine();
  }

  @Bean
  FaultEngine faultEngine() {
    return new FaultEngine();
  }

  @Bean
  SilentEngine silentEngine() {
    return new SilentEngine();
  }

  @Bean
  FaultyMaryEngine faultyMaryEngine(ObjectProvider<MaryEngine> mary) {
    return new FaultyMaryEngine(mary);
  }
}
