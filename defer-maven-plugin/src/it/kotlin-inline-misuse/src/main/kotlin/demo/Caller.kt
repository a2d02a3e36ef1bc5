package demo

fun notDefers() {
    println("open")
    closeOnExit("b")
}
