package dev.ttsapi.worker;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The bounded pool of platform threads where CPU-bound synthesis happens, sized to the cores and
 * shared by every running job: chunks of one long document run side by side, and many short jobs
 * never oversubscribe the CPU. Everything that only waits runs on virtual threads elsewhere.
 */
@Component
class SynthesisPool implements DisposableBean {

  private final ExecutorService threads;
  private final int size;

  SynthesisPool(WorkerProperties properties) {
    this.size = properties.effectiveSynthesisThreads();
    AtomicInteger count = new AtomicInteger();
    this.threads =
        Executors.newFixedThreadPool(
            size,
            r -> {
              Thread t = new Thread(r, "synthesis-" + count.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  <T> Future<T> submit(Callable<T> work) {
    return threads.submit(work);
  }

  int size() {
    return size;
  }

  @Override
  public void destroy() throws InterruptedException {
    threads.shutdownNow();
    threads.awaitTermination(10, TimeUnit.SECONDS);
  }
}
