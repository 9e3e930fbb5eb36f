// Formatters are cached: building an Intl.NumberFormat costs far more than formatting, and the
// file panel formats its progress at every frame while a file streams in.
const formats = new Map<string, Intl.NumberFormat>();

function formatNumber(value: number, digits: number, locale: string): string {
  const key = `${locale}/${digits}`;
  let format = formats.get(key);
  if (format === undefined) {
    format = new Intl.NumberFormat(locale, {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    formats.set(key, format);
  }
  return format.format(value);
}

/** A byte count as people read it: "812 bytes", "1.2 KB", "3.4 MB" (binary units, localised). */
export function formatBytes(bytes: number, locale = 'en'): string {
  const number = (value: number, digits: number) => formatNumber(value, digits, locale);
  if (bytes < 1024) return `${number(bytes, 0)} ${bytes === 1 ? 'byte' : 'bytes'}`;
  if (bytes < 1024 * 1024) return `${number(bytes / 1024, 1)} KB`;
  if (bytes < 1024 * 1024 * 1024) return `${number(bytes / (1024 * 1024), 1)} MB`;
  return `${number(bytes / (1024 * 1024 * 1024), 1)} GB`;
}

/**
 * The UTF-8 size of text: what the file will weigh on disk. Counted from the UTF-16 code units
 * rather than encoded, so sizing a megabyte allocates nothing.
 */
export function utf8Bytes(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      // A surrogate pair is one 4-byte character; a lone surrogate becomes U+FFFD (3 bytes).
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i += 1;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}
