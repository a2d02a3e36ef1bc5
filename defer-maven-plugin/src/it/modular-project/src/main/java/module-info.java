/** The module of a user's modular project: its @Defers code needs the runtime's automatic module. */
module demo.ledger {
    requires dev.defer;
    exports demo;
}
