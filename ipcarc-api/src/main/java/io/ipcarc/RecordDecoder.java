package io.ipcarc;

/** Builds a record from its components in shared memory. */
interface RecordDecoder {
    /**
     * @param buffer the memory
     * @param offset where the record starts
     * @return a new record
     */
    Object read(SharedView buffer, int offset);
}
