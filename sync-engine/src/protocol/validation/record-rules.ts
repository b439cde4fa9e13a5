import type { DatasetDescriptor } from '../catalog.js';
import type { Gender, XRule } from '../datasets/schema-vocabulary.js';
import type { RecordError } from '../push.js';
import type { AdminUnitsIndex } from '../reference-data/admin-units-index.js';
import { fieldTitles, fill, pointerOf, recordError } from './field-titles.js';
import { checkPersonalId } from './personal-id.js';

type Descriptor = Pick<DatasetDescriptor, 'schema'>;

/**
 * The `x-rules` of a schema that this release knows. Entries naming an unknown
 * rule, or missing a parameter, are skipped: a newer platform may declare checks
 * an older agent cannot run, and the platform runs them anyway on push.
 */
export function rulesOf(descriptor: Descriptor): XRule[] {
  const raw = descriptor.schema['x-rules'];
  if (!Array.isArray(raw)) return [];
  return raw.filter((r): r is XRule => {
    if (typeof r !== 'object' || r === null) return false;
    const o = r as Record<string, unknown>;
    const str = (k: string): boolean => typeof o[k] === 'string';
    switch (o['rule']) {
      case 'personalId':
      case 'provinceExists':
      case 'communeExists':
        return str('field');
      case 'communeInProvince':
        return str('communeField') && str('provinceField');
      case 'notBefore':
        return str('field') && str('otherField');
      default:
        return false;
    }
  });
}

const DATE = /^(\d{4})-\d{2}-\d{2}$/;

/**
 * Applies rules to data that passed (or partly passed) the schema. A rule leaves a
 * field alone once that field has an error: one clear message per field.
 */
export class RuleRun {
  private readonly errorPaths: Set<string>;
  readonly errors: RecordError[] = [];

  constructor(
    private readonly descriptor: Descriptor,
    private readonly data: Record<string, unknown>,
    private readonly units: AdminUnitsIndex,
    earlier: readonly RecordError[],
  ) {
    this.errorPaths = new Set(earlier.map((e) => e.path));
  }

  run(rules: readonly XRule[]): RecordError[] {
    for (const rule of rules) {
      switch (rule.rule) {
        case 'personalId':
          this.personalId(rule.field, rule.birthDateField, rule.genderField, rule.expectedGender);
          break;
        case 'provinceExists':
          this.provinceExists(rule.field);
          break;
        case 'communeExists':
          this.communeExists(rule.field);
          break;
        case 'communeInProvince':
          this.communeInProvince(rule.communeField, rule.provinceField);
          break;
        case 'notBefore':
          this.notBefore(rule.field, rule.otherField, rule.code ?? 'not_before');
          break;
      }
    }
    return this.errors;
  }

  /** The field's value when it is a string without an error yet. */
  private usable(field: string): string | undefined {
    const value = this.data[field];
    return typeof value === 'string' && !this.errorPaths.has(pointerOf(field)) ? value : undefined;
  }

  /** One error for the field; with `dates`, `vi` and `en` have a `{name}` for each (recordError). */
  private report(field: string, code: string, vi: string, en: string, dates?: Readonly<Record<string, string>>): void {
    const path = pointerOf(field);
    if (this.errorPaths.has(path)) return;
    this.errorPaths.add(path);
    this.errors.push(recordError(path, code, vi, en, dates));
  }

  private personalId(field: string, birthDateField?: string, genderField?: string, expectedGender?: Gender): void {
    const value = this.usable(field);
    if (value === undefined) return;
    const birthDate = birthDateField ? this.usable(birthDateField) : undefined;
    const year = birthDate ? DATE.exec(birthDate)?.[1] : undefined;
    const stated = genderField ? this.usable(genderField) : undefined;
    const gender = stated === 'male' || stated === 'female' ? stated : expectedGender;
    const problems = checkPersonalId(value, {
      ...(year !== undefined ? { birthYear: Number(year) } : {}),
      ...(gender !== undefined ? { gender } : {}),
    });
    const t = fieldTitles(this.descriptor, field);
    // Only the first problem is shown, the most basic one; the others usually follow from it.
    const first = problems[0];
    if (first) this.report(field, first.code, fill(first.vi, { field: t.vi }), fill(first.en, { field: t.en }));
  }

  private provinceExists(field: string): void {
    const code = this.usable(field);
    if (code === undefined || this.units.hasProvince(code)) return;
    const t = fieldTitles(this.descriptor, field);
    this.report(
      field,
      'unknown_province',
      `${t.vi} “${code}” không có trong danh mục tỉnh, thành phố hiện hành.`,
      `${t.en} “${code}” is not in the current list of provinces.`,
    );
  }

  private communeExists(field: string): void {
    const code = this.usable(field);
    if (code === undefined || this.units.hasCommune(code)) return;
    const t = fieldTitles(this.descriptor, field);
    this.report(
      field,
      'unknown_commune',
      `${t.vi} “${code}” không có trong danh mục xã, phường, đặc khu hiện hành.`,
      `${t.en} “${code}” is not in the current list of communes.`,
    );
  }

  private communeInProvince(communeField: string, provinceField: string): void {
    this.provinceExists(provinceField);
    this.communeExists(communeField);
    const commune = this.usable(communeField);
    const province = this.usable(provinceField);
    if (commune === undefined || province === undefined) return;
    const actual = this.units.provinceOfCommune(commune);
    if (actual === undefined || actual === province) return;
    const t = fieldTitles(this.descriptor, communeField);
    const communeName = this.units.communeName(commune) ?? commune;
    const provinceName = this.units.provinceName(province) ?? province;
    this.report(
      communeField,
      'commune_not_in_province',
      `${t.vi}: ${communeName} (${commune}) không thuộc ${provinceName} (${province}).`,
      `${t.en}: ${communeName} (${commune}) is not in ${provinceName} (${province}).`,
    );
  }

  private notBefore(field: string, otherField: string, code: string): void {
    const value = this.usable(field);
    const other = this.usable(otherField);
    if (value === undefined || other === undefined) return;
    const [a, b] = [Date.parse(value), Date.parse(other)];
    if (Number.isNaN(a) || Number.isNaN(b) || a >= b) return;
    const t = fieldTitles(this.descriptor, field);
    const o = fieldTitles(this.descriptor, otherField);
    this.report(
      field,
      code,
      `${t.vi} ({value}) không được sớm hơn ${o.vi.toLowerCase()} ({other}).`,
      `${t.en} ({value}) must not be earlier than “${o.en}” ({other}).`,
      { value, other },
    );
  }
}
