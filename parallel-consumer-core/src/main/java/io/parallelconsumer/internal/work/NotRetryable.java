package io.parallelconsumer.internal.work;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which handler failures are not worth a retry: those of the given types, or caused by one (an async handler's
 * failure often arrives wrapped, in a {@code CompletionException} for one), and those a predicate picks.
 */
public final class NotRetryable implements Predicate<Throwable> {

    private final List<Class<? extends Throwable>> types;
    private final List<Predicate<? super Throwable>> predicates;

    public NotRetryable(List<Class<? extends Throwable>> types, List<Predicate<? super Throwable>> predicates) {
        this.types = List.copyOf(types);
        this.predicates = List.copyOf(predicates);
    }

    @Override
    public boolean test(Throwable failure) {
        if (types.isEmpty() && predicates.isEmpty()) {
            return false;
        }
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable cause = failure; cause != null && seen.add(cause); cause = cause.getCause()) {
            for (Class<? extends Throwable> type : types) {
                if (type.isInstance(cause)) {
                    return true;
                }
            }
        }
        for (Predicate<? super Throwable> predicate : predicates) {
            if (predicate.test(failure)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "NotRetryable" + types + (predicates.isEmpty() ? "" : " and " + predicates.size() + " predicate(s)");
    }
}
