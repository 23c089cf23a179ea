package rnn.lm.text;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal HTTP/1.1 server on 127.0.0.1 that answers every GET with one configurable response and
 * counts requests. It uses java.base sockets only, so the tests need no module beyond what rnn.lm
 * reads when they are compiled into it.
 */
final class LoopbackServer implements AutoCloseable {

    private final ServerSocket socket;
    private final Thread thread;
    final AtomicInteger requests = new AtomicInteger();
    volatile int status = 200;
    volatile byte[] body = new byte[0];

    LoopbackServer() throws IOException {
        socket = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        thread = Thread.ofVirtual().start(this::serve);
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/data/");
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket s = socket.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                String line = in.readLine();
                while (line != null && !line.isEmpty()) {
                    line = in.readLine();
                }
                requests.incrementAndGet();
                byte[] b = status == 200 ? body : "not here".getBytes(StandardCharsets.US_ASCII);
                OutputStream out = s.getOutputStream();
                out.write(("HTTP/1.1 " + status + " X\r\nContent-Length: " + b.length
                        + "\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(b);
                out.flush();
            } catch (IOException e) {
                // closed by the test, or a client that went away: nothing to answer
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
