package dev.wsboot.transport.tyrus;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.IOEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link GrizzlyReadPause}'s hand-over between the reading thread and a resume from
 * another thread, with each interleaving forced: read interest must end up on whenever
 * reading is wanted. The connection only records the interest changes it is asked for
 * (the order in which Grizzly's selector applies them).
 */
class GrizzlyReadPauseTests {

	private final List<String> interest = new CopyOnWriteArrayList<>();

	private Runnable whileTurningOff = () -> {
	};

	private final GrizzlyReadPause pause = new GrizzlyReadPause(recordingConnection());

	@Test
	void aResumeWhileTheReadCompletesStillLeavesReadInterestOn() {
		this.pause.pause();
		// the resume runs between the pause's decision and its "off"
		this.whileTurningOff = this.pause::resume;
		readCompleted();
		assertThat(this.interest).last().isEqualTo("on");
	}

	@Test
	void aResumeAfterTheReadCompletedTurnsReadInterestBackOn() {
		this.pause.pause();
		readCompleted();
		assertThat(this.interest).containsExactly("off");
		this.pause.resume();
		assertThat(this.interest).containsExactly("off", "on");
	}

	@Test
	void aResumeBeforeTheReadCompletesKeepsReading() {
		this.pause.pause();
		this.pause.resume();
		readCompleted();
		assertThat(this.interest).containsExactly("on");
	}

	@Test
	void aReadWithoutAPauseTurnsReadInterestBackOn() {
		readCompleted();
		assertThat(this.interest).containsExactly("on");
	}

	/** What the strategy's completion listener does. */
	private void readCompleted() {
		if (!this.pause.readCompleted()) {
			this.interest.add("on");
		}
	}

	private Connection<?> recordingConnection() {
		return (Connection<?>) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { Connection.class },
				(proxy, method, args) -> {
					switch (method.getName()) {
						case "enableIOEvent" -> {
							assertThat(args[0]).isEqualTo(IOEvent.READ);
							this.interest.add("on");
						}
						case "disableIOEvent" -> {
							assertThat(args[0]).isEqualTo(IOEvent.READ);
							this.whileTurningOff.run();
							this.interest.add("off");
						}
						default -> throw new UnsupportedOperationException(method.getName());
					}
					return null;
				});
	}

}
