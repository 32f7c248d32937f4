package io.ipcarc.map;

import io.ipcarc.IpcArcException;

/**
 * A key could not be added: the map holds as many keys as its capacity allows. Nothing was
 * changed; no key is ever evicted to make room.
 */
public class MapFullException extends IpcArcException {
    private static final long serialVersionUID = 1L;

    /** The capacity of the map that was full, in keys. */
    private final int capacity;

    /**
     * Creates the exception.
     *
     * @param message the message, naming the map, its capacity and size
     * @param map the map's segment name
     * @param capacity the map's capacity
     */
    public MapFullException(String message, String map, int capacity) {
        super(message, map);
        this.capacity = capacity;
    }

    /**
     * The capacity of the map that was full.
     *
     * @return its capacity, in keys
     */
    public int capacity() {
        return capacity;
    }
}
