use std::io;

// ANCHOR: main
fn main() {
    println!("Hello, listings!");
}
// ANCHOR_END: main

// ANCHOR: main_extra
fn extra() {}
// ANCHOR_END: main_extra
