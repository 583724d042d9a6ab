package dev.ttsapi.ssml;

/** Numbers as words in the languages say-as speaks: English, and Vietnamese. */
interface NumberWords {

  String cardinal(long n);

  String ordinal(long n);

  /** One digit's word: "seven", "bảy". */
  String digit(int d);

  String minus();

  String point();

  String plus();

  /** The words of a date; null parts were not given. */
  String date(Integer year, Integer month, Integer day);

  /** The words of a time of day; seconds may be null. */
  String time(int hours, int minutes, Integer seconds);

  static NumberWords of(String language) {
    return language != null && language.toLowerCase(java.util.Locale.ROOT).startsWith("vi")
        ? Vietnamese.INSTANCE
        : English.INSTANCE;
  }

  /** English, the US way ("September second, nineteen forty-five"). */
  final class English implements NumberWords {

    static final English INSTANCE = new English();

    private static final String[] ONES = {
      "zero",
      "one",
      "two",
      "three",
      "four",
      "five",
      "six",
      "seven",
      "eight",
      "nine",
      "ten",
      "eleven",
      "twelve",
      "thirteen",
      "fourteen",
      "fifteen",
      "sixteen",
      "seventeen",
      "eighteen",
      "nineteen"
    };
    private static final String[] TENS = {
      "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"
    };
    private static final String[] SCALES = {"", "thousand", "million", "billion", "trillion"};
    private static final String[] MONTHS = {
      "January",
      "February",
      "March",
      "April",
      "May",
      "June",
      "July",
      "August",
      "September",
      "October",
      "November",
      "December"
    };

    @Override
    public String cardinal(long n) {
      if (n < 0) {
        return minus() + " " + cardinal(-n);
      }
      if (n < 1000) {
        return belowThousand((int) n);
      }
      StringBuilder out = new StringBuilder();
      int scale = 0;
      java.util.Deque<String> groups = new java.util.ArrayDeque<>();
      while (n > 0) {
        int group = (int) (n % 1000);
        if (group > 0) {
          groups.push(belowThousand(group) + (scale > 0 ? " " + SCALES[scale] : ""));
        }
        n /= 1000;
        scale++;
      }
      out.append(String.join(" ", groups));
      return out.toString();
    }

    private static String belowThousand(int n) {
      if (n < 20) {
        return ONES[n];
      }
      if (n < 100) {
        return TENS[n / 10] + (n % 10 == 0 ? "" : "-" + ONES[n % 10]);
      }
      return ONES[n / 100] + " hundred" + (n % 100 == 0 ? "" : " " + belowThousand(n % 100));
    }

    @Override
    public String ordinal(long n) {
      String words = cardinal(n);
      int cut = Math.max(words.lastIndexOf(' '), words.lastIndexOf('-')) + 1;
      String last = words.substring(cut);
      String head = words.substring(0, cut);
      String ord =
          switch (last) {
            case "one" -> "first";
            case "two" -> "second";
            case "three" -> "third";
            case "five" -> "fifth";
            case "eight" -> "eighth";
            case "nine" -> "ninth";
            case "twelve" -> "twelfth";
            default ->
                last.endsWith("y") ? last.substring(0, last.length() - 1) + "ieth" : last + "th";
          };
      return head + ord;
    }

    @Override
    public String digit(int d) {
      return ONES[d];
    }

    @Override
    public String minus() {
      return "minus";
    }

    @Override
    public String point() {
      return "point";
    }

    @Override
    public String plus() {
      return "plus";
    }

    /** A year the way it is said: nineteen forty-five, two thousand five, twenty twenty-four. */
    String year(int y) {
      if (y >= 2000 && y < 2010 || y % 1000 == 0 || y < 1000 || y >= 10000) {
        return cardinal(y);
      }
      int high = y / 100;
      int low = y % 100;
      if (low == 0) {
        return cardinal(high) + " hundred";
      }
      return cardinal(high) + " " + (low < 10 ? "oh " + ONES[low] : cardinal(low));
    }

    @Override
    public String date(Integer year, Integer month, Integer day) {
      StringBuilder out = new StringBuilder();
      if (month != null) {
        out.append(MONTHS[month - 1]);
      }
      if (day != null) {
        out.append(out.isEmpty() ? "the " + ordinal(day) : " " + ordinal(day));
      }
      if (year != null) {
        out.append(out.isEmpty() ? "" : month != null && day != null ? ", " : " ")
            .append(year(year));
      }
      return out.toString();
    }

    @Override
    public String time(int hours, int minutes, Integer seconds) {
      String out;
      if (minutes == 0) {
        out = cardinal(hours) + " o'clock";
      } else {
        out = cardinal(hours) + " " + (minutes < 10 ? "oh " + ONES[minutes] : cardinal(minutes));
      }
      if (seconds != null && seconds > 0) {
        out += " and " + cardinal(seconds) + (seconds == 1 ? " second" : " seconds");
      }
      return out;
    }
  }

  /**
   * Vietnamese, the northern standard: "một nghìn chín trăm bốn mươi lăm", "ngày hai tháng chín năm
   * …", with the spoken forms mốt, tư, lăm, linh and "không trăm" where Vietnamese uses them.
   */
  final class Vietnamese implements NumberWords {

    static final Vietnamese INSTANCE = new Vietnamese();

    private static final String[] DIGITS = {
      "không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"
    };
    private static final String[] SCALES = {"", "nghìn", "triệu", "tỷ", "nghìn tỷ"};

    @Override
    public String cardinal(long n) {
      if (n < 0) {
        return minus() + " " + cardinal(-n);
      }
      if (n < 1000) {
        return belowThousand((int) n, false);
      }
      java.util.List<String> groups = new java.util.ArrayList<>();
      java.util.List<Integer> values = new java.util.ArrayList<>();
      while (n > 0) {
        values.add((int) (n % 1000));
        n /= 1000;
      }
      for (int scale = values.size() - 1; scale >= 0; scale--) {
        int group = values.get(scale);
        if (group == 0) {
          continue;
        }
        boolean leading = scale == values.size() - 1;
        groups.add(belowThousand(group, !leading) + (scale > 0 ? " " + SCALES[scale] : ""));
      }
      return String.join(" ", groups);
    }

    /**
     * @param full a group after a higher one is said with its hundreds even when they are none:
     *     1005 is "một nghìn không trăm linh năm"
     */
    private static String belowThousand(int n, boolean full) {
      int hundreds = n / 100;
      int rest = n % 100;
      if (hundreds == 0 && !full) {
        return belowHundred(rest);
      }
      String head = DIGITS[hundreds] + " trăm";
      if (rest == 0) {
        return head;
      }
      if (rest < 10) {
        return head + " linh " + DIGITS[rest];
      }
      return head + " " + belowHundred(rest);
    }

    private static String belowHundred(int n) {
      if (n < 10) {
        return DIGITS[n];
      }
      int tens = n / 10;
      int ones = n % 10;
      String head = tens == 1 ? "mười" : DIGITS[tens] + " mươi";
      if (ones == 0) {
        return head;
      }
      String unit =
          switch (ones) {
            case 1 -> tens == 1 ? "một" : "mốt";
            case 4 -> tens == 1 ? "bốn" : "tư";
            case 5 -> "lăm";
            default -> DIGITS[ones];
          };
      return head + " " + unit;
    }

    @Override
    public String ordinal(long n) {
      if (n == 1) {
        return "thứ nhất";
      }
      if (n == 4) {
        return "thứ tư";
      }
      return "thứ " + cardinal(n);
    }

    @Override
    public String digit(int d) {
      return DIGITS[d];
    }

    @Override
    public String minus() {
      return "âm";
    }

    @Override
    public String point() {
      return "phẩy";
    }

    @Override
    public String plus() {
      return "cộng";
    }

    @Override
    public String date(Integer year, Integer month, Integer day) {
      StringBuilder out = new StringBuilder();
      if (day != null) {
        out.append("ngày ").append(cardinal(day));
      }
      if (month != null) {
        out.append(out.isEmpty() ? "" : " ")
            .append("tháng ")
            .append(month == 4 ? "tư" : cardinal(month));
      }
      if (year != null) {
        out.append(out.isEmpty() ? "" : " ").append("năm ").append(cardinal(year));
      }
      return out.toString();
    }

    @Override
    public String time(int hours, int minutes, Integer seconds) {
      String out = cardinal(hours) + " giờ";
      if (minutes > 0) {
        out += " " + cardinal(minutes) + " phút";
      }
      if (seconds != null && seconds > 0) {
        out += " " + cardinal(seconds) + " giây";
      }
      return out;
    }
  }
}
