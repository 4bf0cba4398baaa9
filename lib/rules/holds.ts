// Why a due lead is held back (Lead.holdReason), shared by the caller that writes it and the settings that read it.

/** Every frequency-cap hold reason starts so: a raised cap frees the leads held under the old one. */
export const FREQUENCY_CAP_HOLD = "frequency cap:";
