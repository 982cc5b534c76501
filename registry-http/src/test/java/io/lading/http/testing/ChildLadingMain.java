package io.lading.http.testing;

import io.lading.http.Main;
import java.io.IOException;

/**
 * The entry point of a {@link LadingProcess}: {@link Main}, plus a watch on standard input, which the
 * parent test JVM holds open as a pipe. When the parent dies, even by {@code kill -9} (which runs no
 * shutdown hook there), the pipe closes, and this process stops as on {@code SIGTERM}: no Lading outlives
 * the test run that started it.
 */
public final class ChildLadingMain {

    private ChildLadingMain() {
    }

    public static void main(String[] args) throws Exception {
        Thread watch = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // the parent writes nothing; anything it did would be ignored
                }
            } catch (IOException e) {
                // a broken pipe is the parent gone too
            }
            System.err.println("lading: the parent test JVM is gone; stopping");
            System.exit(1);
        }, "parent-watch");
        watch.setDaemon(true);
        watch.start();
        Main.main(args);
    }
}
