package io.parallelconsumer.admin;

/** A topic or consumer group could not be reset; the message names it and says what was tried. */
public class KafkaResetException extends RuntimeException {

    private final String subject;

    public KafkaResetException(String subject, String message, Throwable cause) {
        super(message, cause);
        this.subject = subject;
    }

    /** What failed, such as {@code topic 'orders'} or {@code group 'orders-app'}. */
    public String getSubject() {
        return subject;
    }
}
