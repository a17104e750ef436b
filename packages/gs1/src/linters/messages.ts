/**
 * Plain-language explanations of every linter result code, written for the people who read them:
 * pharmacists, warehouse staff and packaging-line operators. Keyed by code.
 */
export const LINTER_MESSAGES: Record<string, string> = {
  GS1_LINTER_OK: 'No problem found.',
  RX_UNKNOWN_LINTER:
    'This field names a check that this software does not know, so it could not be verified.',

  // Characters
  GS1_LINTER_NON_DIGIT_CHARACTER:
    'This field may only contain digits (0–9), but another character was found.',
  GS1_LINTER_INVALID_CSET82_CHARACTER:
    'This field contains a character that GS1 barcodes cannot carry (for example a space, #, @ or an accented letter).',
  GS1_LINTER_INVALID_CSET39_CHARACTER:
    'This field may only contain capital letters, digits and the characters # - /.',
  GS1_LINTER_INVALID_CSET32_CHARACTER:
    'A check character is not one of the 32 characters allowed for check characters.',
  GS1_LINTER_INVALID_CSET64_CHARACTER:
    'This field may only contain letters, digits, - and _ (with = only as padding at the very end).',
  GS1_LINTER_INVALID_CSET64_PADDING:
    'The = padding at the end of this field has the wrong number of characters.',
  GS1_LINTER_REQUIRES_NON_DIGIT_CHARACTER:
    'This field must contain at least one character that is not a digit.',
  GS1_LINTER_NOT_HYPHEN: 'Only hyphens (-) are allowed here.',
  GS1_LINTER_INVALID_PERCENT_SEQUENCE:
    'A % sign must be followed by two hexadecimal characters (0–9, A–F), as in %2F.',

  // Check digits and company prefix
  GS1_LINTER_INCORRECT_CHECK_DIGIT:
    'The check digit (the last digit) does not match the rest of the number: the code is mistyped, damaged or misprinted.',
  GS1_LINTER_TOO_SHORT_FOR_CHECK_DIGIT: 'The number is too short to carry a check digit.',
  GS1_LINTER_INCORRECT_CHECK_PAIR:
    'The two check characters at the end do not match the rest of the code: it is mistyped, damaged or misprinted.',
  GS1_LINTER_TOO_SHORT_FOR_CHECK_PAIR: 'The code is too short to carry its two check characters.',
  GS1_LINTER_TOO_LONG_FOR_CHECK_PAIR_IMPLEMENTATION:
    'The code is too long for its two check characters to be verified.',
  GS1_LINTER_GCP_DATASOURCE_OFFLINE:
    'The company prefix could not be checked because the GS1 prefix list is not available right now.',
  GS1_LINTER_INVALID_GCP_PREFIX:
    'The GS1 company prefix (the part that identifies the brand owner) is not valid.',
  GS1_LINTER_TOO_SHORT_FOR_GCP:
    'The number is too short to contain a GS1 company prefix (at least 4 digits).',

  // Single-character codes and flags
  GS1_LINTER_IMPORTER_IDX_MUST_BE_ONE_CHARACTER: 'The importer index must be exactly one character.',
  GS1_LINTER_INVALID_IMPORT_IDX_CHARACTER: 'The importer index must be a letter, a digit, - or _.',
  GS1_LINTER_ILLEGAL_ZERO_VALUE: 'This value must not be zero.',
  GS1_LINTER_NOT_ZERO: 'This value must be zero.',
  GS1_LINTER_ILLEGAL_ZERO_PREFIX: 'This number must not start with a zero.',
  GS1_LINTER_NOT_ZERO_OR_ONE: 'This value must be 0 (no) or 1 (yes).',
  GS1_LINTER_INVALID_WINDING_DIRECTION:
    'The winding direction must be 0 (face out), 1 (face in) or 9 (undefined).',
  GS1_LINTER_INVALID_BIOLOGICAL_SEX_CODE:
    'The sex code must be 0 (not known), 1 (male), 2 (female) or 9 (not applicable).',
  GS1_LINTER_INVALID_MEDIA_TYPE:
    'The media type code is not one of the defined codes (01 to 10, or 80 to 99).',
  GS1_LINTER_INVALID_PACKAGE_TYPE: 'The package type code is not on the GS1 list of package types.',

  // Countries, currencies, bank accounts
  GS1_LINTER_NOT_ISO3166:
    'This is not a valid three-digit country code (for example 276 for Germany, 840 for the USA).',
  GS1_LINTER_NOT_ISO3166_OR_999:
    'This must be a valid three-digit country code, or 999 when several countries are involved.',
  GS1_LINTER_NOT_ISO3166_ALPHA2: 'This is not a valid two-letter country code (for example DE, FR, US).',
  GS1_LINTER_NOT_ISO4217:
    'This is not a valid three-digit currency code (for example 978 for euro, 840 for US dollar).',
  GS1_LINTER_IBAN_TOO_SHORT: 'The bank account number (IBAN) is too short.',
  GS1_LINTER_IBAN_TOO_LONG: 'The bank account number (IBAN) is too long: an IBAN has at most 34 characters.',
  GS1_LINTER_INVALID_IBAN_CHARACTER:
    'The bank account number (IBAN) may only contain capital letters and digits.',
  GS1_LINTER_ILLEGAL_IBAN_COUNTRY_CODE:
    'The bank account number (IBAN) does not start with a valid two-letter country code.',
  GS1_LINTER_INCORRECT_IBAN_CHECKSUM:
    'The bank account number (IBAN) is wrong: its check digits do not match the rest of the number.',

  // Dates and times
  GS1_LINTER_DATE_TOO_SHORT: 'The date is too short: it must have all its digits (YYMMDD, or YYYYMMDD).',
  GS1_LINTER_DATE_TOO_LONG: 'The date is too long: it has more digits than YYMMDD (or YYYYMMDD) allows.',
  GS1_LINTER_ILLEGAL_MONTH: 'The date has an impossible month: it must be 01 to 12.',
  GS1_LINTER_ILLEGAL_DAY: 'The date has a day that does not exist in that month.',
  GS1_LINTER_HOUR_WITH_MINUTE_TOO_SHORT:
    'The time is too short: it must be four digits, hours then minutes (HHMM).',
  GS1_LINTER_HOUR_WITH_MINUTE_TOO_LONG:
    'The time is too long: it must be four digits, hours then minutes (HHMM).',
  GS1_LINTER_ILLEGAL_HOUR: 'The time has an impossible hour: it must be 00 to 23.',
  GS1_LINTER_ILLEGAL_MINUTE: 'The time has an impossible minute: it must be 00 to 59.',
  GS1_LINTER_ILLEGAL_SECOND: 'The time has an impossible second: it must be 00 to 59.',
  GS1_LINTER_HOUR_TOO_SHORT: 'The hour is too short: it must be two digits (00 to 23).',
  GS1_LINTER_HOUR_TOO_LONG: 'The hour is too long: it must be two digits (00 to 23).',
  GS1_LINTER_MINUTE_TOO_SHORT: 'The minutes are too short: they must be two digits (00 to 59).',
  GS1_LINTER_MINUTE_TOO_LONG: 'The minutes are too long: they must be two digits (00 to 59).',
  GS1_LINTER_SECOND_TOO_SHORT: 'The seconds are too short: they must be two digits (00 to 59).',
  GS1_LINTER_SECOND_TOO_LONG: 'The seconds are too long: they must be two digits (00 to 59).',

  // Counters and coordinates
  GS1_LINTER_INVALID_LENGTH_FOR_PIECE_OF_TOTAL:
    'The "piece of total" must be two numbers of the same length: the piece number, then the total.',
  GS1_LINTER_ZERO_PIECE_NUMBER: 'The piece number must not be zero.',
  GS1_LINTER_ZERO_TOTAL_PIECES: 'The total number of pieces must not be zero.',
  GS1_LINTER_PIECE_NUMBER_EXCEEDS_TOTAL: 'The piece number is larger than the total number of pieces.',
  GS1_LINTER_POSITION_IN_SEQUENCE_MALFORMED: 'This must be written as position/total, for example 2/3.',
  GS1_LINTER_POSITION_EXCEEDS_END: 'The position is larger than the total, for example 4/3.',
  GS1_LINTER_INVALID_LATITUDE: 'The latitude is out of range (0000000000 to 1800000000).',
  GS1_LINTER_INVALID_LONGITUDE: 'The longitude is out of range (0000000000 to 3600000000).',
  GS1_LINTER_LATITUDE_INVALID_LENGTH: 'The latitude must be exactly 10 digits.',
  GS1_LINTER_LONGITUDE_INVALID_LENGTH: 'The longitude must be exactly 10 digits.',

  // Coupons (AI 8110 / 8112)
  GS1_LINTER_COUPON_MISSING_FORMAT_CODE: 'The coupon code is empty: its format code is missing.',
  GS1_LINTER_COUPON_INVALID_FORMAT_CODE: 'The coupon format code must be 0 or 1.',
  GS1_LINTER_COUPON_MISSING_FUNDER_VLI: 'The coupon code ends before the length digit of the funder ID.',
  GS1_LINTER_COUPON_INVALID_FUNDER_LENGTH: 'The length digit of the coupon funder ID must be 0 to 6.',
  GS1_LINTER_COUPON_TRUNCATED_FUNDER: 'The coupon funder ID is shorter than its length digit says.',
  GS1_LINTER_COUPON_TRUNCATED_OFFER_CODE: 'The coupon offer code is cut short: it must be six digits.',
  GS1_LINTER_COUPON_MISSING_SERIAL_NUMBER_VLI:
    'The coupon code ends before the length digit of the serial number.',
  GS1_LINTER_COUPON_TRUNCATED_SERIAL_NUMBER:
    'The coupon serial number is shorter than its length digit says.',
  GS1_LINTER_COUPON_MISSING_GCP_VLI:
    'The coupon code is empty: the length digit of the company prefix is missing.',
  GS1_LINTER_COUPON_INVALID_GCP_LENGTH: 'The length digit of the coupon company prefix must be 0 to 6.',
  GS1_LINTER_COUPON_TRUNCATED_GCP: 'The coupon company prefix is shorter than its length digit says.',
  GS1_LINTER_COUPON_MISSING_SAVE_VALUE_VLI:
    'The coupon code ends before the length digit of the discount value.',
  GS1_LINTER_COUPON_INVALID_SAVE_VALUE_LENGTH:
    'The length digit of the coupon discount value must be 1 to 5.',
  GS1_LINTER_COUPON_TRUNCATED_SAVE_VALUE: 'The coupon discount value is shorter than its length digit says.',
  GS1_LINTER_COUPON_MISSING_1ST_PURCHASE_REQUIREMENT_VLI:
    'The coupon code ends before the length digit of the purchase requirement.',
  GS1_LINTER_COUPON_INVALID_1ST_PURCHASE_REQUIREMENT_LENGTH:
    'The length digit of the coupon purchase requirement must be 1 to 5.',
  GS1_LINTER_COUPON_TRUNCATED_1ST_PURCHASE_REQUIREMENT:
    'The coupon purchase requirement is shorter than its length digit says.',
  GS1_LINTER_COUPON_MISSING_1ST_PURCHASE_REQUIREMENT_CODE:
    'The coupon code ends before the purchase requirement code.',
  GS1_LINTER_COUPON_INVALID_1ST_PURCHASE_REQUIREMENT_CODE:
    'The coupon purchase requirement code must be 0 to 4, or 9.',
  GS1_LINTER_COUPON_TRUNCATED_1ST_PURCHASE_FAMILY_CODE:
    'The coupon product family code is cut short: it must be three digits.',
  GS1_LINTER_COUPON_MISSING_ADDITIONAL_PURCHASE_RULES_CODE:
    'The coupon code ends before the additional purchase rules code.',
  GS1_LINTER_COUPON_INVALID_ADDITIONAL_PURCHASE_RULES_CODE:
    'The coupon additional purchase rules code must be 0 to 3.',
  GS1_LINTER_COUPON_MISSING_2ND_PURCHASE_REQUIREMENT_VLI:
    'The coupon code ends before the length digit of the second purchase requirement.',
  GS1_LINTER_COUPON_INVALID_2ND_PURCHASE_REQUIREMENT_LENGTH:
    'The length digit of the second coupon purchase requirement must be 1 to 5.',
  GS1_LINTER_COUPON_TRUNCATED_2ND_PURCHASE_REQUIREMENT:
    'The second coupon purchase requirement is shorter than its length digit says.',
  GS1_LINTER_COUPON_MISSING_2ND_PURCHASE_REQUIREMENT_CODE:
    'The coupon code ends before the second purchase requirement code.',
  GS1_LINTER_COUPON_INVALID_2ND_PURCHASE_REQUIREMENT_CODE:
    'The second coupon purchase requirement code must be 0 to 4, or 9.',
  GS1_LINTER_COUPON_TRUNCATED_2ND_PURCHASE_FAMILY_CODE:
    'The second coupon product family code is cut short: it must be three digits.',
  GS1_LINTER_COUPON_MISSING_2ND_PURCHASE_GCP_VLI:
    'The coupon code ends before the length digit of the second purchase company prefix.',
  GS1_LINTER_COUPON_INVALID_2ND_PURCHASE_GCP_LENGTH:
    'The length digit of the second purchase company prefix must be 0 to 6, or 9.',
  GS1_LINTER_COUPON_TRUNCATED_2ND_PURCHASE_GCP:
    'The second purchase company prefix is shorter than its length digit says.',
  GS1_LINTER_COUPON_MISSING_3RD_PURCHASE_REQUIREMENT_VLI:
    'The coupon code ends before the length digit of the third purchase requirement.',
  GS1_LINTER_COUPON_INVALID_3RD_PURCHASE_REQUIREMENT_LENGTH:
    'The length digit of the third coupon purchase requirement must be 1 to 5.',
  GS1_LINTER_COUPON_TRUNCATED_3RD_PURCHASE_REQUIREMENT:
    'The third coupon purchase requirement is shorter than its length digit says.',
  GS1_LINTER_COUPON_MISSING_3RD_PURCHASE_REQUIREMENT_CODE:
    'The coupon code ends before the third purchase requirement code.',
  GS1_LINTER_COUPON_INVALID_3RD_PURCHASE_REQUIREMENT_CODE:
    'The third coupon purchase requirement code must be 0 to 4, or 9.',
  GS1_LINTER_COUPON_TRUNCATED_3RD_PURCHASE_FAMILY_CODE:
    'The third coupon product family code is cut short: it must be three digits.',
  GS1_LINTER_COUPON_MISSING_3RD_PURCHASE_GCP_VLI:
    'The coupon code ends before the length digit of the third purchase company prefix.',
  GS1_LINTER_COUPON_INVALID_3RD_PURCHASE_GCP_LENGTH:
    'The length digit of the third purchase company prefix must be 0 to 6, or 9.',
  GS1_LINTER_COUPON_TRUNCATED_3RD_PURCHASE_GCP:
    'The third purchase company prefix is shorter than its length digit says.',
  GS1_LINTER_COUPON_TOO_SHORT_FOR_EXPIRATION_DATE:
    'The coupon expiry date is cut short: it must be six digits (YYMMDD).',
  GS1_LINTER_COUPON_INVALID_EXIPIRATION_DATE: 'The coupon expiry date is not a real date.',
  GS1_LINTER_COUPON_TOO_SHORT_FOR_START_DATE:
    'The coupon start date is cut short: it must be six digits (YYMMDD).',
  GS1_LINTER_COUPON_INVALID_START_DATE: 'The coupon start date is not a real date.',
  GS1_LINTER_COUPON_EXPIRATION_BEFORE_START:
    'The coupon expires before it becomes valid: the expiry date is earlier than the start date.',
  GS1_LINTER_COUPON_MISSING_RETAILER_GCP_OR_GLN_VLI:
    'The coupon code ends before the length digit of the retailer ID.',
  GS1_LINTER_COUPON_INVALID_RETAILER_GCP_OR_GLN_LENGTH:
    'The length digit of the coupon retailer ID must be 1 to 7.',
  GS1_LINTER_COUPON_TRUNCATED_RETAILER_GCP_OR_GLN:
    'The coupon retailer ID is shorter than its length digit says.',
  GS1_LINTER_COUPON_MISSING_SAVE_VALUE_CODE: 'The coupon code ends before the discount type code.',
  GS1_LINTER_COUPON_INVALID_SAVE_VALUE_CODE: 'The coupon discount type code must be 0, 1, 2, 5 or 6.',
  GS1_LINTER_COUPON_MISSING_SAVE_VALUE_APPLIES_TO_ITEM:
    'The coupon code ends before the code saying which item the discount applies to.',
  GS1_LINTER_COUPON_INVALID_SAVE_VALUE_APPLIES_TO_ITEM:
    'The code saying which item the coupon discount applies to must be 0, 1 or 2.',
  GS1_LINTER_COUPON_MISSING_STORE_COUPON_FLAG: 'The coupon code ends before the store coupon flag.',
  GS1_LINTER_COUPON_MISSING_DONT_MULTIPLY_FLAG: 'The coupon code ends before the "do not multiply" flag.',
  GS1_LINTER_COUPON_INVALID_DONT_MULTIPLY_FLAG: 'The coupon "do not multiply" flag must be 0 or 1.',
  GS1_LINTER_COUPON_EXCESS_DATA:
    'The coupon code has extra digits at the end that do not belong to any known field.',

  // Reserved slots of the reference list; never produced.
  GS1_LINTER_UNUSED_1: 'Reserved code (not used by any check).',
  GS1_LINTER_UNUSED_2: 'Reserved code (not used by any check).',
  GS1_LINTER_UNUSED_3: 'Reserved code (not used by any check).',
  GS1_LINTER_UNUSED_4: 'Reserved code (not used by any check).',
  GS1_LINTER_UNUSED_5: 'Reserved code (not used by any check).',
  GS1_LINTER_UNUSED_6: 'Reserved code (not used by any check).',
};
