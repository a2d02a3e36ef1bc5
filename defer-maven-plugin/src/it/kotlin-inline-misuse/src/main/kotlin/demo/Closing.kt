package demo

import dev.defer.Defer

inline fun closeOnExit(name: String) {
    Defer.defer { println("close $name") }
}
