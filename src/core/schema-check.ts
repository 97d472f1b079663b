/**
 * A report read back in (an exported report given to the CLI or imported into a view) is untrusted: a
 * crafted one must get a clear error, not a crash half-way through rendering. This checks a value against
 * a JSON Schema with the keywords `report.schema.json` uses (type, const, enum, properties, required,
 * additionalProperties, items, maxItems, minimum, oneOf, pattern, format date-time, local $ref) and
 * answers the first fault with its path. Recursion follows the schema, never the data alone, so its
 * depth is the schema's. A leaf module: it imports nothing.
 */

export type Schema = boolean | { [keyword: string]: unknown };

export interface SchemaFault {
  /** JSON Pointer of the value at fault (`/exchanges/0/resourceServers`). */
  path: string;
  message: string;
}

type Node = { [keyword: string]: unknown };

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function hasType(value: unknown, type: string): boolean {
  const actual = typeOf(value);
  return actual === type || (type === 'number' && actual === 'integer');
}

const pointer = (path: string, key: string | number): string => `${path}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;

/** One value against one schema node: the first fault, or null. */
function check(value: unknown, schema: Schema, root: Node, path: string): SchemaFault | null {
  if (schema === true) return null;
  if (schema === false) return { path, message: 'is not allowed here' };
  const ref = schema.$ref;
  if (typeof ref === 'string') {
    const target = ref.startsWith('#/')
      ? ref
          .slice(2)
          .split('/')
          .reduce<unknown>((node, key) => (node as Node)?.[key], root)
      : undefined;
    if (target === undefined) return { path, message: `the schema's ${ref} is unknown` };
    const fault = check(value, target as Schema, root, path);
    if (fault) return fault;
  }
  return checkType(value, schema, path) ?? checkValue(value, schema, path) ?? checkChildren(value, schema, root, path);
}

function checkType(value: unknown, schema: Node, path: string): SchemaFault | null {
  const type = schema.type;
  if (type === undefined) return null;
  const types = Array.isArray(type) ? (type as string[]) : [type as string];
  return types.some((t) => hasType(value, t)) ? null : { path, message: `should be ${types.join(' or ')}, not ${typeOf(value)}` };
}

function checkValue(value: unknown, schema: Node, path: string): SchemaFault | null {
  if ('const' in schema && value !== schema.const) return { path, message: `should be ${JSON.stringify(schema.const)}` };
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) return { path, message: 'is not one of the allowed values' };
  if (typeof value === 'number' && typeof schema.minimum === 'number' && value < schema.minimum)
    return { path, message: `should be at least ${schema.minimum}` };
  if (typeof value === 'string' && typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value))
    return { path, message: `does not match ${schema.pattern}` };
  if (typeof value === 'string' && schema.format === 'date-time' && Number.isNaN(Date.parse(value)))
    return { path, message: 'is not a date-time' };
  if (Array.isArray(value) && typeof schema.maxItems === 'number' && value.length > schema.maxItems)
    return { path, message: `has more than ${schema.maxItems} items` };
  return null;
}

function checkChildren(value: unknown, schema: Node, root: Node, path: string): SchemaFault | null {
  if (Array.isArray(schema.oneOf)) {
    const passing = schema.oneOf.filter((option) => check(value, option as Schema, root, path) === null).length;
    if (passing !== 1)
      return { path, message: passing === 0 ? 'matches none of its allowed shapes' : 'matches more than one allowed shape' };
  }
  if (Array.isArray(value) && schema.items !== undefined) {
    for (let i = 0; i < value.length; i++) {
      const fault = check(value[i], schema.items as Schema, root, pointer(path, i));
      if (fault) return fault;
    }
  }
  if (typeOf(value) !== 'object') return null;
  const object = value as Record<string, unknown>;
  for (const key of Array.isArray(schema.required) ? (schema.required as string[]) : []) {
    if (!Object.hasOwn(object, key)) return { path, message: `lacks its required "${key}"` };
  }
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  for (const key of Object.keys(object)) {
    const own = Object.hasOwn(properties, key) ? properties[key] : undefined;
    const child = own ?? (schema.additionalProperties as Schema | undefined) ?? true;
    const fault = check(object[key], child, root, pointer(path, key));
    if (fault) return fault;
  }
  return null;
}

/** The first place where `value` does not follow `schema`, or null when it does. */
export function firstSchemaFault(value: unknown, schema: Node): SchemaFault | null {
  return check(value, schema, schema, '');
}
