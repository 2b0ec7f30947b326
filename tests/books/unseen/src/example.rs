fn main() {
    println!("from the playground");
# let hidden_in_playground = 1;
}
