package io.tunecho.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the bookkeeping of one request costs on this machine: a read of the wall clock and of the monotonic clock
 * (on a VM, the clock source decides: {@code kvm-clock} here), and an uncontended {@link LongAdder} increment. Why
 * the answering pipeline reads the clock and adds its counts once a read burst rather than once a packet.
 * Run with {@code ./mvnw -Pbench -q -pl responder test-compile exec:exec -Djmh.args="ClockBenchmark"}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ClockBenchmark {
    private final LongAdder adder = new LongAdder();

    @Benchmark
    public long currentTimeMillis() {
        return System.currentTimeMillis();
    }

    @Benchmark
    public long nanoTime() {
        return System.nanoTime();
    }

    @Benchmark
    public void longAdderIncrement() {
        adder.increment();
    }
}
