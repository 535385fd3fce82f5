//! The two things read from Anki's protobuf configs: a varint field and a text field at
//! the top level of a message. Nothing else of protobuf is needed, so no crate for it.

/// The value of varint field `number`, if the message has it.
pub fn varint_field(message: &[u8], number: u64) -> Option<u64> {
    fields(message).find_map(|(n, value)| match value {
        Value::Varint(v) if n == number => Some(v),
        _ => None,
    })
}

/// The UTF-8 text of length-delimited field `number`, if the message has it.
pub fn text_field(message: &[u8], number: u64) -> Option<String> {
    fields(message).find_map(|(n, value)| match value {
        Value::Bytes(bytes) if n == number => String::from_utf8(bytes.to_vec()).ok(),
        _ => None,
    })
}

enum Value<'m> {
    Varint(u64),
    Bytes(&'m [u8]),
}

/// The top-level fields of `message`, stopping quietly at anything malformed.
fn fields(message: &[u8]) -> impl Iterator<Item = (u64, Value<'_>)> {
    let mut rest = message;
    std::iter::from_fn(move || {
        let key = varint(&mut rest)?;
        let value = match key & 7 {
            0 => Value::Varint(varint(&mut rest)?),
            1 => Value::Bytes(take(&mut rest, 8)?),
            2 => {
                let len = usize::try_from(varint(&mut rest)?).ok()?;
                Value::Bytes(take(&mut rest, len)?)
            }
            5 => Value::Bytes(take(&mut rest, 4)?),
            _ => return None,
        };
        Some((key >> 3, value))
    })
}

fn take<'m>(rest: &mut &'m [u8], len: usize) -> Option<&'m [u8]> {
    if rest.len() < len {
        return None;
    }
    let (taken, left) = rest.split_at(len);
    *rest = left;
    Some(taken)
}

fn varint(rest: &mut &[u8]) -> Option<u64> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let (&byte, left) = rest.split_first()?;
        *rest = left;
        value |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_varint_and_text_fields_and_skips_others() {
        // field 1 = 1 (varint), field 3 = fixed32, field 2 = "{{Front}}", field 5 = 300
        let mut message = vec![0x08, 0x01, 0x1d, 1, 2, 3, 4, 0x12, 9];
        message.extend_from_slice(b"{{Front}}");
        message.extend_from_slice(&[0x28, 0xac, 0x02]);
        assert_eq!(varint_field(&message, 1), Some(1));
        assert_eq!(varint_field(&message, 5), Some(300));
        assert_eq!(text_field(&message, 2).as_deref(), Some("{{Front}}"));
        assert_eq!(text_field(&message, 4), None);
    }

    #[test]
    fn a_truncated_message_ends_quietly() {
        assert_eq!(text_field(&[0x12, 50, b'a'], 2), None);
        assert_eq!(varint_field(&[0x08, 0x80], 1), None);
        assert_eq!(varint_field(&[], 1), None);
    }
}
