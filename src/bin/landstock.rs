//! The `landstock` command line.
fn main() {
    println!("landstock {}", env!("CARGO_PKG_VERSION"));
}
