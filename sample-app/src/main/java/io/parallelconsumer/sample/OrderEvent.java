package io.parallelconsumer.sample;

/**
 * One event of a customer's order stream: {@code sequence} counts the customer's events from 0, so a consumer can
 * tell when they arrive out of order. Carried as {@code customerId:sequence:amountCents}.
 */
record OrderEvent(String customerId, long sequence, long amountCents) {

    static OrderEvent parse(String value) {
        String[] parts = value.split(":");
        if (parts.length != 3) {
            throw new IllegalArgumentException("Not an order event: " + value);
        }
        return new OrderEvent(parts[0], Long.parseLong(parts[1]), Long.parseLong(parts[2]));
    }

    String format() {
        return customerId + ":" + sequence + ":" + amountCents;
    }
}
