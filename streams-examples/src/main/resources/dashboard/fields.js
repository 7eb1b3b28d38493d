// Numeric fields of a reading, by dotted path, and the units the console knows them by.

// By the last part of a field's name; a field not here is charted without a unit.
const UNITS = {
  temp: '°C', temperature: '°C', humidity: '%', battery: '%', soc: '%', voltage: 'V', volt: 'V', current: 'A',
  pressure: 'hPa', rssi: 'dBm', co2: 'ppm', lux: 'lx', speed: 'm/s', altitude: 'm', power: 'W', energy: 'Wh',
};

/** The unit of a field path (`env.temp` → `°C`), or '' when unknown. */
export function unitOf(path) {
  const name = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  return UNITS[name] || '';
}

/** `[path, number]` for every number in a reading, nested objects flattened to dotted paths. */
export function numericFields(value, prefix = '', out = []) {
  if (typeof value === 'number' && Number.isFinite(value)) {
    out.push([prefix || 'value', value]);
  } else if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const key of Object.keys(value)) numericFields(value[key], prefix ? prefix + '.' + key : key, out);
  }
  return out;
}

/** A reading's fields as short text: `temp 21.50 °C · humidity 40 %`. */
export function describe(data, limit = 4) {
  const fields = numericFields(data);
  if (fields.length === 0) return shorten(JSON.stringify(data), 60);
  return fields.slice(0, limit).map(([path, v]) => `${path} ${format(v)}${unitOf(path) ? ' ' + unitOf(path) : ''}`)
    .join(' · ') + (fields.length > limit ? ' …' : '');
}

export function format(v) {
  return Number.isInteger(v) ? String(v) : v.toFixed(2);
}

export function shorten(text, length) {
  return text.length > length ? text.slice(0, length - 1) + '…' : text;
}
