import { datasetDescriptorSchema, type DatasetDescriptor, type LocalizedText } from '../../../sync-engine/src/protocol/catalog.js';
import { createSchemaValidator, rulesOf } from '../../../sync-engine/src/protocol/validation/index.js';

/** A descriptor `datasets publish` can take, or why not (each reason in both languages). */
export type PublishCheck = { ok: true; descriptor: DatasetDescriptor } | { ok: false; problems: LocalizedText[] };

const quote = (s: string) => JSON.stringify(s);

/**
 * Whether `candidate` (a parsed JSON file) may be published as the next
 * version of a dataset whose newest version is `current` (undefined: no such
 * dataset). Refused, with every reason at once:
 * - not a catalog descriptor (the protocol's shape);
 * - a name the platform does not serve (a new dataset needs a new build);
 * - a version not greater than the current one;
 * - a schema that does not compile under the agent's own validator (the same
 *   Ajv set-up and keywords), or an `x-rules` entry the agent does not know
 *   (the agent would skip it silently, the platform too);
 * - a scope field, commune field, unique field, field policy or display field
 *   that is not a property of the schema;
 * - a change of scope, scopeField or communeField: which offices see which
 *   records would change under every agent's cursor (a new dataset instead);
 * - a change of uniqueFields: the platform's index of unique values holds the
 *   fields it was built for, so an added one would not be checked against the
 *   records already there (a new build instead).
 */
export function checkPublishable(candidate: unknown, current: DatasetDescriptor | undefined): PublishCheck {
  const parsed = datasetDescriptorSchema.safeParse(candidate);
  if (!parsed.success) {
    const where = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    return {
      ok: false,
      problems: [{ vi: `tệp không phải một mô tả bộ dữ liệu của danh mục (${where})`, en: `the file is not a catalog dataset descriptor (${where})` }],
    };
  }
  const d = parsed.data;
  if (!current) {
    return {
      ok: false,
      problems: [
        {
          vi: `nền tảng không có bộ dữ liệu nào tên ${quote(d.name)}: chỉ công bố được phiên bản mới của một bộ dữ liệu đã có (xem "datasets list")`,
          en: `the platform has no dataset called ${quote(d.name)}: only a new version of an existing dataset can be published (see "datasets list")`,
        },
      ],
    };
  }
  const problems: LocalizedText[] = [];
  if (d.version <= current.version) {
    problems.push({
      vi: `phiên bản ${d.version} không lớn hơn phiên bản hiện hành ${current.version} của ${d.name}: hãy ghi "version": ${current.version + 1}`,
      en: `version ${d.version} is not greater than ${d.name}'s current version ${current.version}: set "version": ${current.version + 1}`,
    });
  }
  try {
    createSchemaValidator().compile(d.schema);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    problems.push({ vi: `lược đồ (schema) không biên dịch được bằng bộ kiểm tra của tác tử: ${why}`, en: `the schema does not compile under the agent's validator: ${why}` });
  }
  const rawRules = d.schema['x-rules'];
  const unknownRules = Array.isArray(rawRules) ? rawRules.length - rulesOf(d).length : rawRules === undefined ? 0 : 1;
  if (unknownRules > 0) {
    problems.push({
      vi: `x-rules có ${unknownRules} quy tắc tác tử không biết (sai tên quy tắc hoặc thiếu trường): tác tử sẽ bỏ qua chúng`,
      en: `x-rules holds ${unknownRules} ${unknownRules === 1 ? 'rule' : 'rules'} the agent does not know (a wrong rule name or a missing field): agents would skip them`,
    });
  }
  const properties = d.schema['properties'];
  const fields = new Set(typeof properties === 'object' && properties !== null && !Array.isArray(properties) ? Object.keys(properties) : []);
  const named: [string, string | undefined][] = [
    ['scopeField', d.scopeField],
    ['communeField', d.communeField],
    ['display.titleField', d.display.titleField],
    ...d.uniqueFields.map((f, i) => [`uniqueFields[${i}]`, f] as [string, string]),
    ...Object.keys(d.fieldPolicies).map((f) => [`fieldPolicies.${f}`, f] as [string, string]),
    ...d.display.listFields.map((f, i) => [`display.listFields[${i}]`, f] as [string, string]),
    ...(d.display.searchFields ?? []).map((f, i) => [`display.searchFields[${i}]`, f] as [string, string]),
  ];
  const missing = named.filter(([, f]) => f !== undefined && !fields.has(f)).map(([where, f]) => `${where} ${quote(f as string)}`);
  if (missing.length > 0) {
    problems.push({
      vi: `những trường này không có trong schema.properties: ${missing.join(', ')}`,
      en: `these fields are not in schema.properties: ${missing.join(', ')}`,
    });
  }
  for (const key of ['scope', 'scopeField', 'communeField'] as const) {
    if (d[key] !== current[key]) {
      problems.push({
        vi: `${key} đổi từ ${quote(String(current[key] ?? '(không có)'))} sang ${quote(String(d[key] ?? '(không có)'))}: không đổi được phạm vi của một bộ dữ liệu đang có, vì đơn vị nào thấy bản ghi nào sẽ đổi dưới vị trí tải của mọi tác tử`,
        en: `${key} changes from ${quote(String(current[key] ?? '(none)'))} to ${quote(String(d[key] ?? '(none)'))}: the scope of a dataset in use cannot change, since which offices see which records would change under every agent's pull position`,
      });
    }
  }
  if (JSON.stringify(d.uniqueFields) !== JSON.stringify(current.uniqueFields)) {
    problems.push({
      vi: `uniqueFields đổi từ ${JSON.stringify(current.uniqueFields)} sang ${JSON.stringify(d.uniqueFields)}: chỉ mục giá trị duy nhất của nền tảng giữ các trường nó được dựng cho, nên một trường mới sẽ không được đối chiếu với các bản ghi đã có`,
      en: `uniqueFields changes from ${JSON.stringify(current.uniqueFields)} to ${JSON.stringify(d.uniqueFields)}: the platform's index of unique values holds the fields it was built for, so a new one would not be checked against the records already held`,
    });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, descriptor: d };
}
