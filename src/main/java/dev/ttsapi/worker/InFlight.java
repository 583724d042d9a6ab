package dev.ttsapi.worker;

import dev.ttsapi.queue.Delivery;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/** The deliveries this node is working on now; their claims are renewed while they run. */
@Component
class InFlight {

  private final Set<Delivery> deliveries = ConcurrentHashMap.newKeySet();

  void add(Delivery delivery) {
    deliveries.add(delivery);
  }

  void remove(Delivery delivery) {
    deliveries.remove(delivery);
  }

  List<Delivery> snapshot() {
    return List.copyOf(deliveries);
  }

  int size() {
    return deliveries.size();
  }
}
