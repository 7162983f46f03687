//! `pmr-node`: the PMR Chain node binary.

fn main() {
	// Errors as sentences (their `Display`), not as a debug dump of the error type.
	if let Err(e) = pmr_node::command::run() {
		eprintln!("Error: {e}");
		std::process::exit(1);
	}
}
