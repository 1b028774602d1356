package io.parallelconsumer.spring.endpoint;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** What {@code POST /actuator/parallelconsumers/{id}} can do to a listener. */
public enum ListenerAction {

    /** Stop fetching; records already fetched still run. */
    PAUSE,

    /** Fetch again after {@link #PAUSE}. */
    RESUME;

    /** The actions as they are written in a request. */
    public static List<String> names() {
        return Arrays.stream(values()).map(action -> action.name().toLowerCase(Locale.ROOT)).toList();
    }

    /** The action of a request's text, in any case; {@code null} if there is none of that name. */
    public static ListenerAction parse(String text) {
        for (ListenerAction action : values()) {
            if (action.name().equalsIgnoreCase(text == null ? "" : text.trim())) {
                return action;
            }
        }
        return null;
    }
}
