package io.ipcarc;

/** Builds a record from its components in shared memory. */
interface RecordDecoder {
    /**
     * Reads the record at {@code offset}: one load per component, then the canonical constructor.
     *
     * @param buffer the memory
     * @param offset where the record starts
     * @return a new record
     */
    Object read(SharedView buffer, int offset);
}
