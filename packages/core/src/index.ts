/** @rxtrace/core — the domain. Talks to storage only through the Store interface. */
export {};
