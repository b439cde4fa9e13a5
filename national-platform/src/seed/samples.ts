import { adminUnitRecordsOf } from '../../../sync-engine/src/protocol/datasets/index.js';
import type {
  AdminUnitRecordData,
  BusinessHouseholdData,
  CivilStatusBirthData,
  DossierStatus,
  Gender,
  HouseholdStatus,
  ProcedureDossierData,
} from '../../../sync-engine/src/protocol/datasets/index.js';
import type { RecordData } from '../../../sync-engine/src/protocol/records.js';
import { bundledAdminUnits, PRE_2025_PROVINCE_CODES } from '../../../sync-engine/src/protocol/reference-data/index.js';
import type { AdminCommune, AdminUnitsIndex } from '../../../sync-engine/src/protocol/reference-data/index.js';
import { genderCenturyDigit } from '../../../sync-engine/src/protocol/validation/index.js';
import { BIRTH_NOTES, BUSINESS_KINDS, PROCEDURES, SHOP_NAME_WORDS } from './sample-vocabulary.js';
import { Draw, mulberry32 } from './seeded-random.js';
import type { Random } from './seeded-random.js';
import { personName } from './vietnamese-names.js';

export { mulberry32 } from './seeded-random.js';
export type { Random } from './seeded-random.js';

export interface SampleOptions {
  /** The day the samples are made on, YYYY-MM-DD: no date lies after it. */
  today?: string;
  /** The units communes are drawn from; the bundled 2025-07 table by default. */
  adminUnits?: AdminUnitsIndex;
}

/** Deterministic, valid sample records: the same seed and calls give the same records. */
export interface SampleGenerator {
  birth(provinceCode: string, communeCodes?: readonly string[]): CivilStatusBirthData;
  dossier(provinceCode: string, communeCodes?: readonly string[]): ProcedureDossierData;
  household(provinceCode: string, communeCodes?: readonly string[]): BusinessHouseholdData;
  /** A record of a read-write sample dataset by its name. */
  sample(dataset: string, provinceCode: string, communeCodes?: readonly string[]): RecordData;
  /** One `admin-units` record per commune of the table. */
  adminUnitRecords(): AdminUnitRecordData[];
}

const DAY_MS = 86_400_000;
/** Offices keep Vietnam time (UTC+7) and open 07:30-17:00: 00:30-10:00 UTC. */
const OFFICE_OPEN_UTC_MIN = 30;
const OFFICE_CLOSE_UTC_MIN = 600;
const DEFAULT_TODAY = '2025-10-01';

const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const isoTime = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');
const yearOf = (date: string): number => Number(date.slice(0, 4));
const pad = (n: number, width: number): string => String(n).padStart(width, '0');

export function createSampleGenerator(seed: number | Random, options: SampleOptions = {}): SampleGenerator {
  const draw = new Draw(typeof seed === 'number' ? mulberry32(seed) : seed);
  const units = options.adminUnits ?? bundledAdminUnits();
  const todayMs = Date.parse(`${options.today ?? DEFAULT_TODAY}T00:00:00Z`);
  if (Number.isNaN(todayMs)) throw new RangeError(`today must be YYYY-MM-DD, got ${options.today}`);
  const preCodes = [...PRE_2025_PROVINCE_CODES];
  const issuedIds = new Set<string>();
  const staffByCommune = new Map<string, string[]>();
  const registerCounters = new Map<string, number>();
  let dossierSerial = 0;
  let householdSerial = 0;

  function communesFor(provinceCode: string, communeCodes?: readonly string[]): readonly AdminCommune[] {
    const all = units.communesOf(provinceCode);
    if (all.length === 0) throw new RangeError(`unknown province ${provinceCode}`);
    if (!communeCodes || communeCodes.length === 0) return all;
    const chosen = all.filter((c) => communeCodes.includes(c.code));
    if (chosen.length !== new Set(communeCodes).size) throw new RangeError(`communes ${communeCodes.join(', ')} are not all in province ${provinceCode}`);
    return chosen;
  }

  /** A day between two instants (ms), both included. */
  function dayBetween(fromMs: number, toMs: number): number {
    return Math.floor(fromMs / DAY_MS) * DAY_MS + draw.int(0, Math.floor((toMs - fromMs) / DAY_MS)) * DAY_MS;
  }

  function birthDateBetween(fromYear: number, toYear: number): string {
    const from = Date.UTC(Math.max(fromYear, 1900), 0, 1);
    return isoDate(Math.min(dayBetween(from, Date.UTC(toYear, 11, 31)), todayMs - DAY_MS));
  }

  /** A fresh personal ID: the province code where the birth was registered, gender and century, year, serial. */
  function personalId(gender: Gender, birthYear: number, homeProvince: string): string {
    const digit = genderCenturyDigit(gender, birthYear);
    if (digit === undefined) throw new RangeError(`birth year ${birthYear} cannot be encoded`);
    const province = PRE_2025_PROVINCE_CODES.has(homeProvince) && draw.chance(0.85) ? homeProvince : draw.pick(preCodes);
    const prefix = `0${province}${digit}${pad(birthYear % 100, 2)}`;
    // A random serial, then the next free one: unique within this generator and
    // terminating even with a degenerate injected Random.
    const start = Number(draw.digits(6));
    for (let step = 0; step < 1_000_000; step += 1) {
      const id = `${prefix}${pad((start + step) % 1_000_000, 6)}`;
      if (!issuedIds.has(id)) {
        issuedIds.add(id);
        return id;
      }
    }
    throw new RangeError(`no personal ID left for prefix ${prefix}`);
  }

  function adult(provinceCode: string, minAge: number, maxAge: number, gender: Gender = draw.chance(0.5) ? 'male' : 'female') {
    const thisYear = yearOf(isoDate(todayMs));
    const birthYear = yearOf(birthDateBetween(thisYear - maxAge, thisYear - minAge));
    return { name: personName(draw, gender), id: personalId(gender, birthYear, provinceCode) };
  }

  /** A small, stable pool of staff per commune, so records share registrars and handlers. */
  function staffOf(commune: AdminCommune): string {
    let pool = staffByCommune.get(commune.code);
    if (!pool) {
      pool = Array.from({ length: 3 }, () => personName(draw, draw.chance(0.6) ? 'female' : 'male').full);
      staffByCommune.set(commune.code, pool);
    }
    return draw.pick(pool);
  }

  function nextInRegister(key: string): number {
    const n = (registerCounters.get(key) ?? 0) + 1;
    registerCounters.set(key, n);
    return n;
  }

  function birth(provinceCode: string, communeCodes?: readonly string[]): CivilStatusBirthData {
    const commune = draw.pick(communesFor(provinceCode, communeCodes));
    const gender: Gender = draw.chance(0.51) ? 'male' : 'female';
    const thisYear = yearOf(isoDate(todayMs));
    // Most registrations are of recent births; the rest are older acts kept in the register.
    const birthDate = draw.chance(0.65) ? birthDateBetween(thisYear - 5, thisYear) : birthDateBetween(1945, thisYear - 6);
    const birthYear = yearOf(birthDate);
    const registrationDate = isoDate(Math.min(Date.parse(birthDate) + draw.int(1, 60) * DAY_MS, todayMs));
    const fatherFamily = personName(draw, 'male').family;
    const child = personName(draw, gender, fatherFamily);
    const record: CivilStatusBirthData = {
      registrationNumber: `${nextInRegister(`${commune.code}/${yearOf(registrationDate)}`)}/${yearOf(registrationDate)}`,
      fullName: child.full,
      gender,
      birthDate,
      placeOfBirthCommuneCode: placeOfBirth(commune),
      personalId: personalId(gender, birthYear, provinceCode),
      registrationDate,
      registrar: staffOf(commune),
      provinceCode,
      communeCode: commune.code,
    };
    if (draw.chance(0.92)) {
      record.fatherName = personName(draw, 'male', fatherFamily).full;
      record.fatherPersonalId = personalId('male', Math.max(1900, birthYear - draw.int(20, 45)), provinceCode);
    }
    if (draw.chance(0.98)) {
      record.motherName = personName(draw, 'female').full;
      record.motherPersonalId = personalId('female', Math.max(1900, birthYear - draw.int(18, 42)), provinceCode);
    }
    if (draw.chance(0.2)) record.notes = draw.pick(BIRTH_NOTES);
    return record;
  }

  function placeOfBirth(commune: AdminCommune): string {
    const roll = draw.int(1, 100);
    if (roll <= 80) return commune.code;
    if (roll <= 95) return draw.pick(units.communesOf(commune.provinceCode)).code;
    return draw.pick(units.communes()).code;
  }

  /** An instant during office hours on a working day (the day itself or later). */
  function officeInstant(dayMs: number): number {
    let day = dayMs;
    while ([0, 6].includes(new Date(day).getUTCDay())) day += DAY_MS;
    return day + draw.int(OFFICE_OPEN_UTC_MIN, OFFICE_CLOSE_UTC_MIN - 1) * 60_000 + draw.int(0, 59) * 1000;
  }

  function addWorkingDays(dayMs: number, n: number): number {
    let day = dayMs;
    for (let left = n; left > 0; ) {
      day += DAY_MS;
      if (![0, 6].includes(new Date(day).getUTCDay())) left -= 1;
    }
    return day;
  }

  function dossier(provinceCode: string, communeCodes?: readonly string[]): ProcedureDossierData {
    const commune = draw.pick(communesFor(provinceCode, communeCodes));
    const procedure = draw.pick(PROCEDURES);
    const receivedMs = officeInstant(dayBetween(todayMs - 180 * DAY_MS, todayMs - DAY_MS));
    const receivedDay = Math.floor(receivedMs / DAY_MS) * DAY_MS;
    const appointmentMs =
      procedure.workingDays === 0
        ? Math.min(receivedMs + draw.int(30, 240) * 60_000, receivedDay + OFFICE_CLOSE_UTC_MIN * 60_000 + 3_600_000)
        : officeInstant(addWorkingDays(receivedDay, procedure.workingDays));
    const status: DossierStatus =
      appointmentMs < todayMs
        ? draw.weighted([['completed', 75], ['processing', 12], ['returned', 8], ['cancelled', 5]] as const)
        : draw.weighted([['received', 40], ['processing', 57], ['cancelled', 3]] as const);
    const applicant = adult(provinceCode, 18, 80);
    dossierSerial += 1;
    const record: ProcedureDossierData = {
      dossierNumber: `${provinceCode}.${commune.code}-${isoDate(receivedMs).slice(2).replace(/-/g, '')}-${pad(dossierSerial, 4)}`,
      procedureCode: procedure.code,
      applicantName: applicant.name.full,
      applicantPersonalId: applicant.id,
      receivedAt: isoTime(receivedMs),
      appointmentAt: isoTime(appointmentMs),
      status,
      provinceCode,
      communeCode: commune.code,
    };
    if (status !== 'received' || draw.chance(0.5)) record.handler = staffOf(commune);
    return record;
  }

  function household(provinceCode: string, communeCodes?: readonly string[]): BusinessHouseholdData {
    const commune = draw.pick(communesFor(provinceCode, communeCodes));
    const kind = draw.pick(BUSINESS_KINDS);
    const owner = adult(provinceCode, 20, 70);
    const shopName = draw.chance(0.6) ? owner.name.given : draw.pick(SHOP_NAME_WORDS);
    const [low, high] = kind.capitalMillions;
    // Log-uniform: many small shops, few large ones.
    const millions = Math.round(Math.exp(Math.log(low) + draw.int(0, 1000) / 1000 * (Math.log(high) - Math.log(low))));
    const lines = draw.some(kind.lines, draw.int(1, kind.lines.length));
    householdSerial += 1;
    return {
      registrationNumber: `${provinceCode}.${commune.code}-HKD-${pad(householdSerial, 6)}`,
      businessName: `${kind.prefix} ${shopName}`,
      ownerName: owner.name.full,
      ownerPersonalId: owner.id,
      communeCode: commune.code,
      provinceCode,
      businessLines: lines,
      capitalVnd: millions * 1_000_000,
      registeredAt: isoDate(dayBetween(Date.UTC(2005, 0, 1), todayMs)),
      status: draw.weighted<HouseholdStatus>([['active', 85], ['suspended', 7], ['closed', 8]]),
    };
  }

  return {
    birth,
    dossier,
    household,
    sample(dataset, provinceCode, communeCodes) {
      if (dataset === 'civil-status-births') return birth(provinceCode, communeCodes);
      if (dataset === 'procedure-dossiers') return dossier(provinceCode, communeCodes);
      if (dataset === 'business-households') return household(provinceCode, communeCodes);
      throw new RangeError(`no sample generator for dataset ${dataset}`);
    },
    adminUnitRecords: () => adminUnitRecordsOf(units),
  };
}
