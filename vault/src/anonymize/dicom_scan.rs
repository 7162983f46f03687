//! A bounds check of a DICOM Part 10 file before `dicom-rs` parses it.
//!
//! `dicom-rs` reserves memory for whatever value length an element declares. A 2.4 KB file
//! (a valid file meta group followed by random bytes) could therefore make the parser
//! allocate gigabytes and spend tens of seconds before it fails. This scan walks the element
//! headers without reading values and refuses the file as soon as a declared length runs past
//! the end of the input, so every allocation the parser makes afterwards is bounded by the
//! input's size, and hostile input fails in microseconds.
//!
//! It understands what the parser will meet: the explicit-VR little-endian file meta group;
//! explicit and implicit VR little endian and explicit VR big endian data sets; sequences and
//! items of defined and undefined length (implicit-VR sequences recognised by their first
//! item tag); encapsulated pixel data (fragments are skipped, not parsed). Deflated transfer
//! syntaxes are refused: their declared lengths describe the inflated stream, which only
//! inflating can bound.

use crate::{Result, VaultError};

const ITEM: (u16, u16) = (0xFFFE, 0xE000);
const ITEM_END: (u16, u16) = (0xFFFE, 0xE00D);
const SEQUENCE_END: (u16, u16) = (0xFFFE, 0xE0DD);
const UNDEFINED: u32 = 0xFFFF_FFFF;
/// Nesting deeper than this is refused (real files nest a handful of levels).
const MAX_DEPTH: usize = 64;

fn bad(what: impl Into<String>) -> VaultError {
	VaultError::Dicom(what.into())
}

/// What a container holds.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Holds {
	/// Items whose contents are data elements.
	Items,
	/// Items whose contents are opaque fragments (encapsulated pixel data).
	Fragments,
	/// Data elements (inside an item).
	Elements,
}

struct Container {
	holds: Holds,
	/// Where it ends, for a defined length.
	end: Option<usize>,
	explicit: bool,
}

struct Cursor<'a> {
	data: &'a [u8],
	pos: usize,
	big_endian: bool,
}

impl Cursor<'_> {
	fn take(&mut self, n: usize) -> Result<&[u8]> {
		let end = self.pos.checked_add(n).filter(|e| *e <= self.data.len()).ok_or_else(|| bad("truncated element header"))?;
		let bytes = &self.data[self.pos..end];
		self.pos = end;
		Ok(bytes)
	}

	fn u16(&mut self) -> Result<u16> {
		let b = self.take(2)?;
		let b = [b[0], b[1]];
		Ok(if self.big_endian { u16::from_be_bytes(b) } else { u16::from_le_bytes(b) })
	}

	fn u32(&mut self) -> Result<u32> {
		let b = self.take(4)?;
		let b = [b[0], b[1], b[2], b[3]];
		Ok(if self.big_endian { u32::from_be_bytes(b) } else { u32::from_le_bytes(b) })
	}

	fn remaining(&self) -> usize {
		self.data.len() - self.pos
	}

	/// Skips a value of declared length `len`, refusing one that runs past the input.
	fn skip(&mut self, len: u32, tag: (u16, u16)) -> Result<()> {
		let len = usize::try_from(len).unwrap_or(usize::MAX);
		if len > self.remaining() {
			return Err(bad(format!(
				"element ({:04X},{:04X}) declares {len} bytes but only {} remain",
				tag.0,
				tag.1,
				self.remaining()
			)));
		}
		self.pos += len;
		Ok(())
	}

	/// Whether the bytes at the cursor start an item (an implicit-VR sequence's first item).
	fn starts_item(&self) -> bool {
		let item_le = [0xFE, 0xFF, 0x00, 0xE0];
		let item_be = [0xFF, 0xFE, 0xE0, 0x00];
		let next = self.data.get(self.pos..self.pos + 4);
		next == Some(if self.big_endian { &item_be[..] } else { &item_le[..] })
	}
}

/// VRs whose length field is 4 bytes (after 2 reserved bytes) in explicit VR.
fn long_length(vr: [u8; 2]) -> bool {
	matches!(
		&vr,
		b"OB" | b"OD" | b"OF" | b"OL" | b"OV" | b"OW" | b"SQ" | b"SV" | b"UC" | b"UN" | b"UR" | b"UT" | b"UV"
	)
}

/// Checks every declared length in `input` against the input's end.
pub fn check(input: &[u8]) -> Result<()> {
	let start = if input.get(128..132) == Some(&b"DICM"[..]) {
		132
	} else if input.get(0..4) == Some(&b"DICM"[..]) {
		4
	} else {
		return Err(bad("not a DICOM Part 10 file (no DICM prefix)"));
	};
	let mut c = Cursor { data: input, pos: start, big_endian: false };
	// The file meta group: explicit VR little endian, group 0002 only.
	let mut transfer_syntax = String::new();
	while c.remaining() >= 4 && c.data[c.pos..c.pos + 2] == [0x02, 0x00] {
		let tag = (c.u16()?, c.u16()?);
		let vr = c.take(2)?;
		let vr = [vr[0], vr[1]];
		let len = if long_length(vr) {
			c.take(2)?;
			c.u32()?
		} else {
			u32::from(c.u16()?)
		};
		if tag == (0x0002, 0x0010) {
			let at = c.pos;
			c.skip(len, tag)?;
			transfer_syntax = String::from_utf8_lossy(&input[at..c.pos]).trim_end_matches(['\0', ' ']).to_string();
		} else {
			c.skip(len, tag)?;
		}
	}
	let explicit = match transfer_syntax.as_str() {
		"1.2.840.10008.1.2" => false,
		"1.2.840.10008.1.2.2" => {
			c.big_endian = true;
			true
		},
		"1.2.840.10008.1.2.1.99" | "1.2.840.10008.1.2.4.95" => {
			return Err(bad("deflated transfer syntaxes are not accepted"));
		},
		"" => return Err(bad("the file meta group has no transfer syntax")),
		_ => true,
	};
	let mut stack: Vec<Container> = Vec::new();
	while c.remaining() > 0 {
		while stack.last().is_some_and(|top| top.end.is_some_and(|end| c.pos >= end)) {
			stack.pop();
		}
		if stack.len() > MAX_DEPTH {
			return Err(bad("sequences nested too deeply"));
		}
		let top = stack.last().map(|t| (t.holds, t.explicit));
		let explicit_here = top.map_or(explicit, |(_, e)| e);
		let tag = (c.u16()?, c.u16()?);
		if tag.0 == 0xFFFE {
			let len = c.u32()?;
			match tag {
				ITEM => match top.map(|(h, _)| h) {
					Some(Holds::Fragments) => c.skip(len, tag)?,
					Some(Holds::Items) => {
						let end = if len == UNDEFINED {
							None
						} else {
							let end = c.pos.saturating_add(len as usize);
							if end > input.len() {
								return Err(bad("an item runs past the end of the file"));
							}
							Some(end)
						};
						stack.push(Container { holds: Holds::Elements, end, explicit: explicit_here });
					},
					_ => return Err(bad("an item outside a sequence")),
				},
				ITEM_END => {
					if top.map(|(h, _)| h) != Some(Holds::Elements) {
						return Err(bad("an item delimiter outside an item"));
					}
					stack.pop();
				},
				SEQUENCE_END => {
					if !matches!(top.map(|(h, _)| h), Some(Holds::Items | Holds::Fragments)) {
						return Err(bad("a sequence delimiter outside a sequence"));
					}
					stack.pop();
				},
				_ => return Err(bad(format!("unknown delimiter (FFFE,{:04X})", tag.1))),
			}
			continue;
		}
		let (vr, len) = if explicit_here {
			let vr = c.take(2)?;
			let vr = [vr[0], vr[1]];
			if long_length(vr) {
				c.take(2)?;
				(Some(vr), c.u32()?)
			} else {
				(Some(vr), u32::from(c.u16()?))
			}
		} else {
			(None, c.u32()?)
		};
		let sequence = vr == Some(*b"SQ") || (vr.is_none() || vr == Some(*b"UN")) && c.starts_item();
		if len == UNDEFINED {
			let holds = match vr {
				Some(v) if &v == b"SQ" => Holds::Items,
				// An undefined-length UN is an implicit VR little-endian sequence.
				Some(v) if &v == b"UN" => Holds::Items,
				Some(v) if &v == b"OB" || &v == b"OW" => Holds::Fragments,
				None => Holds::Items,
				Some(v) => {
					return Err(bad(format!(
						"element ({:04X},{:04X}) has VR {} with an undefined length",
						tag.0,
						tag.1,
						String::from_utf8_lossy(&v)
					)))
				},
			};
			let explicit_inside = explicit_here && vr != Some(*b"UN");
			stack.push(Container { holds, end: None, explicit: explicit_inside });
		} else if sequence {
			let end = c.pos.saturating_add(len as usize);
			if end > input.len() {
				return Err(bad(format!("sequence ({:04X},{:04X}) runs past the end of the file", tag.0, tag.1)));
			}
			stack.push(Container { holds: Holds::Items, end: Some(end), explicit: explicit_here && vr != Some(*b"UN") });
		} else {
			c.skip(len, tag)?;
		}
	}
	Ok(())
}

#[cfg(test)]
mod tests {
	use super::*;

	/// A file meta group (explicit VR LE) with the given transfer syntax, after the preamble.
	fn meta(ts: &str) -> Vec<u8> {
		let mut f = vec![0u8; 128];
		f.extend_from_slice(b"DICM");
		let mut ts = ts.as_bytes().to_vec();
		if ts.len() % 2 == 1 {
			ts.push(0);
		}
		f.extend_from_slice(&[0x02, 0x00, 0x10, 0x00, b'U', b'I']);
		f.extend_from_slice(&(ts.len() as u16).to_le_bytes());
		f.extend_from_slice(&ts);
		f
	}

	fn element(f: &mut Vec<u8>, group: u16, elem: u16, vr: &[u8; 2], value: &[u8]) {
		f.extend_from_slice(&group.to_le_bytes());
		f.extend_from_slice(&elem.to_le_bytes());
		f.extend_from_slice(vr);
		if long_length(*vr) {
			f.extend_from_slice(&[0, 0]);
			f.extend_from_slice(&(value.len() as u32).to_le_bytes());
		} else {
			f.extend_from_slice(&(value.len() as u16).to_le_bytes());
		}
		f.extend_from_slice(value);
	}

	#[test]
	fn a_declared_length_past_the_end_is_refused() {
		let mut f = meta("1.2.840.10008.1.2.1");
		element(&mut f, 0x0010, 0x0010, b"PN", b"DOE^JOHN");
		assert!(check(&f).is_ok());
		// OB with a 4 GiB length and 8 bytes of data
		f.extend_from_slice(&[0xE0, 0x7F, 0x10, 0x00, b'O', b'B', 0, 0, 0xF0, 0xFF, 0xFF, 0xFF]);
		f.extend_from_slice(&[0; 8]);
		assert!(matches!(check(&f), Err(VaultError::Dicom(m)) if m.contains("declares")));
	}

	#[test]
	fn sequences_items_and_fragments_are_walked() {
		let mut f = meta("1.2.840.10008.1.2.1");
		// an undefined-length sequence with one undefined-length item holding a PN
		f.extend_from_slice(&[0x08, 0x00, 0x15, 0x11, b'S', b'Q', 0, 0, 0xFF, 0xFF, 0xFF, 0xFF]);
		f.extend_from_slice(&[0xFE, 0xFF, 0x00, 0xE0, 0xFF, 0xFF, 0xFF, 0xFF]);
		element(&mut f, 0x0010, 0x0010, b"PN", b"X^Y ");
		f.extend_from_slice(&[0xFE, 0xFF, 0x0D, 0xE0, 0, 0, 0, 0]);
		f.extend_from_slice(&[0xFE, 0xFF, 0xDD, 0xE0, 0, 0, 0, 0]);
		// encapsulated pixel data: an empty offset table and one fragment of arbitrary bytes
		f.extend_from_slice(&[0xE0, 0x7F, 0x10, 0x00, b'O', b'B', 0, 0, 0xFF, 0xFF, 0xFF, 0xFF]);
		f.extend_from_slice(&[0xFE, 0xFF, 0x00, 0xE0, 0, 0, 0, 0]);
		f.extend_from_slice(&[0xFE, 0xFF, 0x00, 0xE0, 4, 0, 0, 0, 0xFF, 0xD8, 0xFF, 0xE0]);
		f.extend_from_slice(&[0xFE, 0xFF, 0xDD, 0xE0, 0, 0, 0, 0]);
		assert!(check(&f).is_ok());
		// a fragment claiming more than there is
		let mut g = f.clone();
		g.truncate(g.len() - 16);
		g.extend_from_slice(&[0xFE, 0xFF, 0x00, 0xE0, 0, 0, 0, 0x7F]);
		assert!(check(&g).is_err());
	}

	#[test]
	fn deflated_and_headless_files_are_refused() {
		assert!(check(&meta("1.2.840.10008.1.2.1.99")).is_err());
		assert!(check(b"not dicom at all").is_err());
	}
}
