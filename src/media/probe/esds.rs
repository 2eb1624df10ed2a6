//! The AAC `AudioSpecificConfig` inside an MP4 `esds` box: the real channel count and sample rate.
//! The sample entry's own fields are templates that muxers fill with 2 channels whatever the stream has.

/// Sampling frequencies by the 4-bit index of ISO/IEC 14496-3.
const RATES: [u32; 13] = [
    96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350,
];

/// `(sample_rate, channels)` from an `esds` body (after its version and flags).
pub(crate) fn audio_config(esds: &[u8]) -> Option<(Option<u32>, Option<u16>)> {
    let mut d = esds.get(4..)?;
    // ES_Descriptor: ES_ID, then flags naming which optional fields follow.
    d = descriptor(d, 0x03)?;
    let flags = *d.get(2)?;
    let mut skip = 3;
    if flags & 0x80 != 0 {
        skip += 2;
    }
    if flags & 0x40 != 0 {
        skip += 1 + usize::from(*d.get(skip)?);
    }
    if flags & 0x20 != 0 {
        skip += 2;
    }
    // DecoderConfigDescriptor: object type, stream type, buffer size, max and average bitrate.
    d = descriptor(d.get(skip..)?, 0x04)?;
    let asc = descriptor(d.get(13..)?, 0x05)?;
    let bits = u32::from_be_bytes([
        *asc.first()?,
        *asc.get(1).unwrap_or(&0),
        *asc.get(2).unwrap_or(&0),
        0,
    ]);
    let take = |at: u32, n: u32| (bits << at) >> (32 - n);
    let (object, mut at) = match take(0, 5) {
        31 => (32 + take(5, 6), 11),
        object => (object, 5),
    };
    let index = take(at, 4);
    if index == 15 {
        // An explicit 24-bit frequency; rare enough not to read further.
        return Some((None, None));
    }
    let mut rate = RATES.get(index as usize).copied();
    at += 4;
    let mut channels = match take(at, 4) {
        0 => None,
        7 => Some(8),
        c @ 1..=6 => Some(c as u16),
        _ => None,
    };
    // HE-AAC (SBR) and HE-AAC v2 (SBR + PS) signalled explicitly: the core config is half the output's.
    if matches!(object, 5 | 29) {
        rate = RATES.get(take(at + 4, 4) as usize).copied().or(rate);
        if object == 29 {
            channels = Some(2);
        }
    }
    Some((rate, channels))
}

/// The body of the descriptor at the start of `d` if it has tag `tag`.
fn descriptor(d: &[u8], tag: u8) -> Option<&[u8]> {
    if *d.first()? != tag {
        return None;
    }
    let mut len = 0usize;
    for i in 1..=4 {
        let b = *d.get(i)?;
        len = (len << 7) | usize::from(b & 0x7F);
        if b & 0x80 == 0 {
            let body = d.get(i + 1..)?;
            return Some(&body[..len.min(body.len())]);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mono_44100_aac_lc_config_is_read() {
        // ES_Descriptor > DecoderConfigDescriptor > AudioSpecificConfig 0x12 0x08 (AAC LC, 44.1 kHz, mono).
        let esds = [
            0, 0, 0, 0, 3, 25, 0, 1, 0, 4, 17, 0x40, 0x15, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 5, 2,
            0x12, 0x08,
        ];
        assert_eq!(audio_config(&esds), Some((Some(44100), Some(1))));
    }

    #[test]
    fn explicit_he_aac_reports_the_output_rate_not_the_core_rate() {
        // Object type 5 (SBR), core 22.05 kHz, stereo, extension 44.1 kHz, then the LC object type.
        let asc = [0x2B, 0x92, 0x08, 0x00];
        let mut esds = vec![
            0, 0, 0, 0, 3, 27, 0, 1, 0, 4, 19, 0x40, 0x15, 0, 0, 0, 0, 1, 0, 0, 0, 1,
        ];
        esds.extend_from_slice(&[0, 0, 5, 4]);
        esds.extend_from_slice(&asc);
        assert_eq!(audio_config(&esds), Some((Some(44100), Some(2))));
    }
}
