/**
 * Where each of the 63 provinces before 2025-07-01 (provinces-pre-2025-07.ts)
 * went: the code of the province in force it is part of since (Nghị quyết
 * 202/2025/QH15), one per row, `code|into`; a province that kept its own code
 * is its own `into`. Written by hand (no official CSV carries it): the
 * window's copy (renderer/src/model/reference-data/former-provinces.ts) is
 * held to this one by test/import/unit-names.test.ts, and every `into` to the
 * provinces in force.
 */
export const PROVINCE_MERGE_ROWS_2025_07: readonly string[] = [
  '01|01', '02|08', '04|04', '06|19', '08|08', '10|15', '11|11', '12|12',
  '14|14', '15|15', '17|25', '19|19', '20|20', '22|22', '24|24', '25|25',
  '26|25', '27|24', '30|31', '31|31', '33|33', '34|33', '35|37', '36|37',
  '37|37', '38|38', '40|40', '42|42', '44|44', '45|44', '46|46', '48|48',
  '49|48', '51|51', '52|52', '54|66', '56|56', '58|56', '60|68', '62|51',
  '64|52', '66|66', '67|68', '68|68', '70|75', '72|80', '74|79', '75|75',
  '77|79', '79|79', '80|80', '82|82', '83|86', '84|86', '86|86', '87|82',
  '89|91', '91|91', '92|92', '93|92', '94|92', '95|96', '96|96',
];
