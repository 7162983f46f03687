//! `pmr-node`: the PMR Chain node binary.

fn main() -> sc_cli::Result<()> {
	pmr_node::command::run()
}
