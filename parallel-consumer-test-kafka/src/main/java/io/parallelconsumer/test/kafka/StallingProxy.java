package io.parallelconsumer.test.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP proxy that can stop forwarding while keeping every connection open, as a network partition does:
 * bytes already read are held and nothing more is read, so the kernel's buffers fill and the senders' data waits,
 * as it would for packets being retransmitted; new connections are accepted and held the same way. Nothing is
 * dropped (dropping bytes from the middle of a TCP stream is not something a network does, and would corrupt the
 * Kafka protocol), so {@link #forward(boolean) forward(true)} heals it and the connections carry on.
 */
public final class StallingProxy implements AutoCloseable {

    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile int upstreamPort = -1;
    private boolean forwarding = true;
    private volatile boolean closed;

    public StallingProxy() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "stalling-proxy-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The port clients connect to. */
    public int port() {
        return server.getLocalPort();
    }

    /** Where to forward to (set once the upstream is known, before the first client connects). */
    public void upstream(int port) {
        this.upstreamPort = port;
    }

    /** Whether bytes get through; when not, they wait in the proxy and the kernel, and every connection stays open. */
    public synchronized void forward(boolean forward) {
        this.forwarding = forward;
        notifyAll();
    }

    private synchronized void awaitForwarding() throws InterruptedException {
        while (!forwarding && !closed) {
            wait();
        }
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                sockets.add(client);
                sockets.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            }
            catch (IOException ex) {
                if (!closed) {
                    continue; // an upstream that refused one connection; the client sees it closed and retries
                }
                return;
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                awaitForwarding();
                for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                    awaitForwarding();
                    out.write(buffer, 0, read);
                    out.flush();
                }
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            catch (IOException ex) {
                // one side closed: close the other so the pair ends together
            }
            finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "stalling-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        }
        catch (IOException ex) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        server.close();
        sockets.forEach(StallingProxy::closeQuietly);
    }
}
