package dev.defer.kotlin

import dev.defer.kotlin.example.blog
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test

/** The Kotlin example prints what its Go twin, go/blog.go, printed (go/blog.out). */
class BlogExampleTest {
    @Test
    fun `the Kotlin example prints the Go blog program's output`() {
        val lines = mutableListOf<String>()
        blog { lines.add(it) }
        val go = BlogExampleTest::class.java.getResource("/go/blog.out")!!.readText().lines().filter { it.isNotEmpty() }
        assertEquals(go, lines)
    }
}
