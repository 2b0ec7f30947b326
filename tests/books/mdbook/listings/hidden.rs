# fn secret_setup() {}
fn shown() {
    ## not hidden, one hash
}
#
# fn main() {}
